package org.bladeshare.smb.it;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.fscc.Fsctl;
import org.bladeshare.smb.smb2.CopyChunk;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Ioctl;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A resume key names an open of the session that asked for it, nothing else ([MS-SMB2]
 * 3.3.5.15.6): another session — another user, or the same user on another connection — that
 * presents it is told no such file exists, and nothing is copied.
 */
class ResumeKeyScopeTest extends OneServerTest {

    private static FileId open(RawClient c, String name) throws Exception {
        var r = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x12019F, 0, 7, Create.OPEN, 0, name,
            List.of()).encode(b));
        assertEquals(0, r.status(), NtStatus.name(r.status()));
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
    }

    private static RawClient.Reply ioctl(RawClient c, int code, FileId file, byte[] input, int maxOut) throws Exception {
        return c.call(Smb2Command.IOCTL, b -> new Ioctl.Request(code, file, input, 0, maxOut, Ioctl.FLAG_IS_FSCTL)
            .encode(b));
    }

    private static byte[] resumeKey(RawClient c, FileId file) throws Exception {
        var r = ioctl(c, Fsctl.SRV_REQUEST_RESUME_KEY, file, new byte[0], CopyChunk.RESUME_KEY_RESPONSE_SIZE);
        assertEquals(0, r.status(), NtStatus.name(r.status()));
        byte[] out = Ioctl.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE)).output();
        return Arrays.copyOf(out, CopyChunk.KEY_SIZE);
    }

    private static RawClient.Reply copy(RawClient c, FileId target, byte[] key) throws Exception {
        byte[] input = new CopyChunk.Copy(key, List.of(new CopyChunk.Chunk(0, 0, 4096))).encode();
        return ioctl(c, Fsctl.SRV_COPYCHUNK_WRITE, target, input, CopyChunk.RESPONSE_SIZE);
    }

    @Test
    void aKeyWorksInItsOwnSessionAndNamesNoFileInAnother() throws Exception {
        byte[] secret = new byte[4096];
        Arrays.fill(secret, (byte) 's');
        Files.write(share.resolve("secret.bin"), secret);
        Files.write(share.resolve("mine.bin"), new byte[0]);
        Files.write(share.resolve("stolen.bin"), new byte[0]);
        try (RawClient owner = logOn(); RawClient other = logOn()) {
            byte[] key = resumeKey(owner, open(owner, "secret.bin"));

            var refused = copy(other, open(other, "stolen.bin"), key);
            assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, refused.status(), NtStatus.name(refused.status()));
            assertEquals(0, Files.size(share.resolve("stolen.bin")), "nothing was copied");

            var copied = copy(owner, open(owner, "mine.bin"), key);
            assertEquals(0, copied.status(), NtStatus.name(copied.status()));
            var result = CopyChunk.Result.decode(
                Ioctl.Response.decode(copied.message().duplicate().readerIndex(Smb2Header.SIZE)).output());
            assertEquals(new CopyChunk.Result(1, 0, 4096), result);
            assertArrayEquals(secret, Files.readAllBytes(share.resolve("mine.bin")));
        }
    }
}
