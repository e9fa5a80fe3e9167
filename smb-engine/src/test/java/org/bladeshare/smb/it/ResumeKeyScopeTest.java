package org.bladeshare.smb.it;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.CopyChunk;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A resume key names an open of the session that asked for it, nothing else ([MS-SMB2]
 * 3.3.5.15.6): another session — another user, or the same user on another connection — that
 * presents it is told no such file exists, and nothing is copied.
 */
class ResumeKeyScopeTest extends OneServerTest {

    @Test
    void aKeyWorksInItsOwnSessionAndNamesNoFileInAnother() throws Exception {
        byte[] secret = new byte[4096];
        Arrays.fill(secret, (byte) 's');
        Files.write(share.resolve("secret.bin"), secret);
        Files.write(share.resolve("mine.bin"), new byte[0]);
        Files.write(share.resolve("stolen.bin"), new byte[0]);
        try (RawClient owner = logOn(); RawClient other = logOn()) {
            byte[] key = CopyChunkCalls.resumeKey(owner, CopyChunkCalls.open(owner, "secret.bin"));

            CopyChunk.Chunk chunk = new CopyChunk.Chunk(0, 0, 4096);
            var refused = CopyChunkCalls.copy(other, CopyChunkCalls.open(other, "stolen.bin"), key, chunk);
            assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, refused.status(), NtStatus.name(refused.status()));
            assertEquals(0, Files.size(share.resolve("stolen.bin")), "nothing was copied");

            var copied = CopyChunkCalls.copy(owner, CopyChunkCalls.open(owner, "mine.bin"), key, chunk);
            assertEquals(0, copied.status(), NtStatus.name(copied.status()));
            var result = CopyChunk.Result.decode(CopyChunkCalls.output(copied));
            assertEquals(new CopyChunk.Result(1, 0, 4096), result);
            assertArrayEquals(secret, Files.readAllBytes(share.resolve("mine.bin")));
        }
    }
}
