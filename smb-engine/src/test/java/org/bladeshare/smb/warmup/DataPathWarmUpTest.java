package org.bladeshare.smb.warmup;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.auth.Crypto;
import org.bladeshare.smb.server.ShareConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataPathWarmUpTest {
    @TempDir
    Path dir;

    @Test
    void aWarmUpMovesWhatItsPlanSaysThroughSigned311AndLeavesNothingBehind() throws Exception {
        try (SmbServer server = TestServers.start(dir, List.of())) {
            var plan = new DataPathWarmUp.Plan(3, 20, 50, 10);
            List<Path> before = warmUpDirectories();
            DataPathWarmUp.Result r = server.warmUp(plan);
            assertEquals(3L * 1024 * 1024 + 25 * 64 * 1024 + 10 * 4096, r.bytesWritten());
            assertEquals(20L * 1024 * 1024 + 25 * 72 * 1024, r.bytesRead());
            assertEquals(4 + 2 + 3 + 20 + 50 + 3 * 10, r.requests());
            assertTrue(before.containsAll(warmUpDirectories()), "the warm-up's temporary directory is removed");
            try (Stream<Path> shareFiles = Files.list(dir)) {
                assertEquals(0, shareFiles.count(), "nothing is written into the real shares");
            }
            // the ephemeral user and share are gone, so a second run can admit its own
            assertEquals(r.bytesWritten(), server.warmUp(plan).bytesWritten());
        }
    }

    @Test
    void anEphemeralUserLogsOnOnlyWhileAdmitted() throws Exception {
        try (SmbServer server = TestServers.start(dir, List.of())) {
            var address = new InetSocketAddress("127.0.0.1", server.port());
            byte[] hash = Crypto.ntHash("a long random secret");
            Path scratch = Files.createDirectory(dir.resolve("scratch"));
            AutoCloseable admitted = server.context().admitEphemeral("eph", hash,
                new ShareConfig("eph-share", scratch, "", false, false));
            try (LoopbackClient client = new LoopbackClient(address)) {
                client.negotiate();
                client.logOn("eph", hash);
                IOException notPublic = assertThrows(IOException.class, () -> client.connectTree("public"));
                assertTrue(notPublic.getMessage().contains("BAD_NETWORK_NAME"), "the ephemeral user reaches its share only");
                client.connectTree("eph-share");
                client.close(client.create("x", true));
                try (LoopbackClient other = new LoopbackClient(address)) {
                    other.negotiate();
                    other.logOn(TestServers.USER, Crypto.ntHash(TestServers.PASSWORD));
                    IOException noShare = assertThrows(IOException.class, () -> other.connectTree("eph-share"));
                    assertTrue(noShare.getMessage().contains("BAD_NETWORK_NAME"), "nobody else reaches the ephemeral share");
                }
                assertThrows(IllegalStateException.class, () -> server.context().admitEphemeral("other", hash,
                    new ShareConfig("other", scratch, "", false, false)), "one ephemeral user at a time");
                admitted.close();
                // a session that outlives the withdrawal reaches nothing
                for (String share : List.of("public", "eph-share")) {
                    IOException gone = assertThrows(IOException.class, () -> client.connectTree(share));
                    assertTrue(gone.getMessage().contains("BAD_NETWORK_NAME"), gone.getMessage());
                }
            }
            try (LoopbackClient client = new LoopbackClient(address)) {
                client.negotiate();
                IOException refused = assertThrows(IOException.class, () -> client.logOn("eph", hash));
                assertTrue(refused.getMessage().contains("LOGON_FAILURE"), refused.getMessage());
            }
        }
    }

    @Test
    void theScratchShareIsInMemoryWhereATmpfsHasRoom() throws IOException {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm)
            && "tmpfs".equals(Files.getFileStore(shm).type())
            && Files.getFileStore(shm).getUsableSpace() > 1024L * 1024 * 1024, "no roomy tmpfs at /dev/shm here");
        assertEquals(shm, DataPathWarmUp.scratchRoot(), "the warm-up writes nothing to the data disk");
    }

    @Test
    void aWarmUpRemovesWhatAWarmUpOfADeadProcessLeftButNotALiveOnes() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path root = DataPathWarmUp.scratchRoot();
        Path dead = Files.createTempDirectory(root, DataPathWarmUp.PREFIX + ended.pid() + "-");
        Files.writeString(dead.resolve("small-1"), "left behind by a node killed mid-warm-up");
        long live = ProcessHandle.current().parent().orElseThrow().pid(); // surefire's launcher, alive
        Path alive = Files.createTempDirectory(root, DataPathWarmUp.PREFIX + live + "-");
        try {
            DataPathWarmUp.removeLeftovers(root);
            assertFalse(Files.exists(dead), "a dead process's scratch directory is removed");
            assertTrue(Files.exists(alive), "a live process's scratch directory stays");
        } finally {
            Files.deleteIfExists(dead.resolve("small-1"));
            Files.deleteIfExists(dead);
            Files.deleteIfExists(alive);
        }
    }

    @Test
    void aPlanMustWriteBeforeItReads() {
        assertThrows(IllegalArgumentException.class, () -> new DataPathWarmUp.Plan(0, 1, 0, 0));
    }

    private static List<Path> warmUpDirectories() throws IOException {
        try (Stream<Path> tmp = Files.list(DataPathWarmUp.scratchRoot())) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("smb-warm-up-")).sorted().toList();
        }
    }
}
