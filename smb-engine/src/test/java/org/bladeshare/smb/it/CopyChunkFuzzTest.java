package org.bladeshare.smb.it;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.fscc.Fsctl;
import org.bladeshare.smb.smb2.CopyChunk;
import org.bladeshare.smb.smb2.FileId;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded mutator over SRV_COPYCHUNK requests that start out valid (a real resume key, real
 * chunks): truncated, extended, with counts, offsets and lengths bent. Every answer is a status a
 * client can act on — never an internal or unexpected I/O error — and the file stays servable.
 */
class CopyChunkFuzzTest extends OneServerTest {
    private static final long[] EDGES = {0, 1, 4095, 4096, 1L << 20, (1L << 20) + 1, 1L << 24, 1L << 40,
        Long.MAX_VALUE - 10, -1, Integer.MAX_VALUE, 0xFFFFFFFFL};

    @Test
    void mutatedCopyRequestsGetAStatusAndNeverBreakTheServer() throws Exception {
        Files.write(share.resolve("src.bin"), new byte[64 * 1024]);
        Files.write(share.resolve("dst.bin"), new byte[0]);
        Random rnd = new Random(20261204);
        try (RawClient c = logOn()) {
            FileId src = CopyChunkCalls.open(c, "src.bin");
            FileId dst = CopyChunkCalls.open(c, "dst.bin");
            byte[] key = CopyChunkCalls.resumeKey(c, src);
            for (int i = 0; i < 300; i++) {
                byte[] input = mutate(rnd, key);
                int code = rnd.nextBoolean() ? Fsctl.SRV_COPYCHUNK : Fsctl.SRV_COPYCHUNK_WRITE;
                int maxOut = rnd.nextInt(4) == 0 ? rnd.nextInt(16) : CopyChunk.RESPONSE_SIZE;
                var reply = CopyChunkCalls.ioctl(c, code, dst, input, maxOut);
                assertTrue(reply.status() != NtStatus.INTERNAL_ERROR && reply.status() != NtStatus.UNEXPECTED_IO_ERROR,
                    "round " + i + ": " + NtStatus.name(reply.status()));
            }
            var after = CopyChunkCalls.copy(c, dst, key, new CopyChunk.Chunk(0, 0, 4096));
            assertEquals(0, after.status(), "a valid copy still works: " + NtStatus.name(after.status()));
        }
    }

    private static byte[] mutate(Random rnd, byte[] key) {
        List<CopyChunk.Chunk> chunks = new ArrayList<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            chunks.add(new CopyChunk.Chunk(pick(rnd), pick(rnd), pick(rnd) & 0xFFFFFFFFL));
        }
        byte[] k = rnd.nextInt(8) == 0 ? new byte[CopyChunk.KEY_SIZE] : key;
        byte[] input = new CopyChunk.Copy(k, chunks).encode();
        switch (rnd.nextInt(4)) {
            case 0 -> input = Arrays.copyOf(input, rnd.nextInt(input.length + 1)); // truncated
            case 1 -> input[CopyChunk.KEY_SIZE + rnd.nextInt(4)] = (byte) rnd.nextInt(256); // bent ChunkCount
            case 2 -> input = Arrays.copyOf(input, input.length + rnd.nextInt(64)); // trailing bytes
            default -> { } // as encoded
        }
        return input;
    }

    private static long pick(Random rnd) {
        return rnd.nextBoolean() ? EDGES[rnd.nextInt(EDGES.length)] : rnd.nextInt(70_000);
    }
}
