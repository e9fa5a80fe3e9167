package org.bladeshare.appliance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A blade that cannot start says why in one sentence and leaves nothing of itself running. */
class BladeBootFailureTest {

    @Test
    void anSmbPortInUseStopsTheBootAndLeavesNoSmbThreadsBehind(@TempDir Path dir) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket smbTaken = new ServerSocket(0, 1, lo); ServerSocket free = new ServerSocket(0, 1, lo);
             ServerSocket freeCluster = new ServerSocket(0, 1, lo)) {
            int console = free.getLocalPort();
            var cluster = new InetSocketAddress(lo, freeCluster.getLocalPort());
            free.close();
            freeCluster.close();
            var settings = new NodeSettings(dir.resolve("data"), dir.resolve("shared"), "n1", lo,
                smbTaken.getLocalPort(), console, cluster, List.of(cluster), "simulated", false);

            var e = assertThrows(BootException.class, () -> new Blade(settings).start());
            assertEquals("the SMB port " + lo.getHostAddress() + ":" + smbTaken.getLocalPort() + " is in use",
                e.getMessage());
            // the SMB engine's timer used to outlive the failed boot and log the closed cluster's errors
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (smbThreads() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, smbThreads(), "SMB threads still running: " + Thread.getAllStackTraces().keySet());
            try (ServerSocket again = new ServerSocket(cluster.getPort(), 1, lo)) {
                assertEquals(cluster.getPort(), again.getLocalPort(), "the cluster port is free again");
            }
        }
    }

    private static long smbThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith("smb-"))
            .count();
    }
}
