package org.bladeshare.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClusterNode.start refuses an unusable configuration with one clear sentence. */
class ClusterNodeStartTest {
    @TempDir
    Path tmp;

    @Test
    void portInUseIsAnIOException() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (ServerSocket taken = new ServerSocket(0, 1, lo)) {
            InetSocketAddress bind = new InetSocketAddress(lo, taken.getLocalPort());
            IOException e = assertThrows(java.net.BindException.class, () -> ClusterNode.start(
                    new ClusterConfig("blade1", bind, List.of(bind), tmp.resolve("d"), tmp.resolve("s"))));
            assertEquals("the cluster port 127.0.0.1:" + taken.getLocalPort() + " is in use", e.getMessage());
        }
    }

    @Test
    void unwritableDataDirIsAnIOException() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        InetSocketAddress bind = TestNodes.freePeers(1).getFirst();
        IOException e = assertThrows(IOException.class, () -> ClusterNode.start(
                new ClusterConfig("blade1", bind, List.of(bind), file, tmp.resolve("s"))));
        assertTrue(e.getMessage().contains("is not writable"), e.getMessage());
    }

    @Test
    void bindAddressOutsideThePeerListIsAnIOException() throws Exception {
        List<InetSocketAddress> two = TestNodes.freePeers(2);
        IOException e = assertThrows(IOException.class, () -> ClusterNode.start(
                new ClusterConfig("blade1", two.get(0), List.of(two.get(1)), tmp.resolve("d"), tmp.resolve("s"))));
        assertTrue(e.getMessage().contains("is not in the peer list"), e.getMessage());
    }

    @Test
    void startAloneReturnsPromptly() throws Exception {
        InetSocketAddress bind = TestNodes.freePeers(1).getFirst();
        long t0 = System.nanoTime();
        try (ClusterNode node = ClusterNode.start(
                new ClusterConfig("blade1", bind, List.of(bind), tmp.resolve("d"), tmp.resolve("s")))) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 5000, "start took " + ms + " ms");
            assertTrue(node.nodes().getFirst().coordinator());
        }
    }
}
