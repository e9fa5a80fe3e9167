package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Close;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Read;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.smb2.Write;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WRITEs a client keeps in flight may be served alongside one another, but nothing sent after them
 * overtakes them: READs of what they wrote, sent before any WRITE was answered, see every byte, and
 * a CLOSE sent last is answered last, with the whole file on disk.
 */
class PipelinedWriteOrderTest {
    private static final int PIECE = 64 * 1024; // one credit each ([MS-SMB2] 3.3.5.2.5)
    private static final int PIECES = 12;

    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(share, List.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void readsAndCloseSentBehindPipelinedWritesSeeThemAll() throws Exception {
        byte[] data = new byte[PIECE * PIECES];
        new Random(11).nextBytes(data);
        try (RawClient c = new RawClient(server.port())) {
            c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            var created = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x12019F, 0, 7,
                Create.OVERWRITE_IF, 0x40, "pipelined.bin", List.of()).encode(b));
            assertEquals(NtStatus.SUCCESS, created.status());
            FileId file = Create.Response.decode(created.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
            for (int i = 0; i < 3; i++) { // a few calls, so the server has granted credits for the burst
                assertEquals(NtStatus.SUCCESS, c.call(Smb2Command.ECHO, b -> b.writeShortLE(4).writeShortLE(0)).status());
            }

            Map<Long, String> sent = new HashMap<>();
            for (int i = 0; i < PIECES; i++) {
                long offset = (long) i * PIECE;
                ByteBuf piece = Unpooled.wrappedBuffer(data, (int) offset, PIECE);
                sent.put(c.nextMessageId, "write");
                c.sendChain(List.of(c.message(Smb2Command.WRITE, 0,
                    b -> new Write.Request(offset, file, 0, 0, piece).encode(b))), true);
            }
            for (int i = 0; i < PIECES; i++) {
                long offset = (long) i * PIECE;
                sent.put(c.nextMessageId, "read " + i);
                c.sendChain(List.of(c.message(Smb2Command.READ, 0,
                    b -> new Read.Request(0, PIECE, offset, file, 0, 0).encode(b))), true);
            }
            sent.put(c.nextMessageId, "close");
            c.sendChain(List.of(c.message(Smb2Command.CLOSE, 0, b -> new Close.Request(0, file).encode(b))), true);

            List<String> answered = new ArrayList<>();
            byte[] readBack = new byte[data.length];
            while (answered.size() < sent.size()) {
                for (RawClient.Reply r : c.receive()) {
                    String what = sent.get(r.header().messageId());
                    assertEquals(NtStatus.SUCCESS, r.status(), what);
                    answered.add(what);
                    if (what.startsWith("read ")) {
                        int i = Integer.parseInt(what.substring(5));
                        ByteBuf body = r.message().duplicate().readerIndex(Smb2Header.SIZE);
                        int dataOffset = body.getUnsignedByte(body.readerIndex() + 2);
                        int length = body.getIntLE(body.readerIndex() + 4);
                        assertEquals(PIECE, length, what);
                        r.message().getBytes(dataOffset, readBack, i * PIECE, length);
                    }
                }
            }
            int firstRead = answered.indexOf("read 0");
            assertTrue(answered.subList(0, firstRead).stream().allMatch("write"::equals) && firstRead == PIECES,
                "every WRITE is answered before the first READ: " + answered);
            assertEquals("close", answered.getLast(), "the CLOSE is answered last");
            assertTrue(Arrays.equals(data, readBack), "the READs saw every WRITE");
        }
        assertArrayEquals(data, Files.readAllBytes(share.resolve("pipelined.bin")));
    }
}
