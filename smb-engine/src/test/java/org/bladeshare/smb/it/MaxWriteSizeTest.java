package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.smb2.Write;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The server offers 1 MiB WRITEs ([MS-SMB2] 3.3.5.4 MaxWriteSize) and holds clients to it
 * (3.3.5.13): a WRITE of exactly MaxWriteSize lands, one byte more is STATUS_INVALID_PARAMETER and
 * changes nothing in the file.
 */
class MaxWriteSizeTest extends OneServerTest {
    private static final int MIB = 1024 * 1024;

    @Test
    void aWriteOfMaxWriteSizeLandsAndOneByteMoreIsInvalidParameter() throws Exception {
        byte[] data = new byte[MIB + 1];
        new Random(3).nextBytes(data);
        try (RawClient c = logOn()) {
            assertEquals(MIB, c.maxWriteSize, "MaxWriteSize offered in the NEGOTIATE response");
            var created = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x12019F, 0, 7,
                Create.OVERWRITE_IF, 0x40, "limit.bin", List.of()).encode(b));
            assertEquals(NtStatus.SUCCESS, created.status());
            FileId file = Create.Response.decode(created.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
            for (int i = 0; i < 3; i++) { // a few calls, so the server has granted credits for 17 at once
                assertEquals(NtStatus.SUCCESS, c.call(Smb2Command.ECHO, b -> b.writeShortLE(4).writeShortLE(0)).status());
            }

            assertEquals(NtStatus.SUCCESS, write(c, file, Unpooled.wrappedBuffer(data, 0, MIB)), "1 MiB");
            byte[] other = new byte[MIB + 1];
            new Random(4).nextBytes(other);
            assertEquals(NtStatus.INVALID_PARAMETER, write(c, file, Unpooled.wrappedBuffer(other)), "1 MiB + 1");
        }
        assertArrayEquals(java.util.Arrays.copyOf(data, MIB), Files.readAllBytes(share.resolve("limit.bin")),
            "the refused WRITE changed nothing");
    }

    /** One WRITE at offset 0 charging what its length costs ([MS-SMB2] 3.3.5.2.5); its status. */
    private static int write(RawClient c, FileId file, ByteBuf data) throws Exception {
        int charge = (data.readableBytes() + 65535) / 65536;
        c.sendChain(List.of(c.message(Smb2Command.WRITE, 0, charge,
            b -> new Write.Request(0, file, 0, 0, data).encode(b))), true);
        return c.receive().getFirst().status();
    }
}
