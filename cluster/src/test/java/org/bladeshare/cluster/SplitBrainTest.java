package org.bladeshare.cluster;

import org.bladeshare.cluster.db.LockedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recovery lock on the shared directory decides which side of a partition serves. */
class SplitBrainTest {
    @TempDir
    Path tmp;

    /** Two halves that cannot see each other: each node's peer list holds only itself. */
    private ClusterNode isolated(String name, Path shared) throws Exception {
        InetSocketAddress bind = TestNodes.freePeers(1).getFirst();
        return ClusterNode.start(new ClusterConfig(name, bind, List.of(bind), tmp.resolve(name), shared));
    }

    @Test
    void onlyTheSideHoldingTheRecoveryLockServesAndTheOtherTakesOverWhenItGoes() throws Exception {
        Path shared = tmp.resolve("shared");
        ClusterNode a = isolated("a", shared);
        try {
            Await.until(Duration.ofSeconds(5), a::serving, () -> "a never served");
            assertTrue(a.holdsRecoveryLock());
            try (ClusterNode b = isolated("b", shared)) {
                Await.until(Duration.ofSeconds(5), () -> b.lastRecovery() == null && !b.serving()
                        && !b.holdsRecoveryLock(), () -> "b should be refused");
                ClusterException put = assertThrows(ClusterException.class,
                        () -> b.persistent("users").put("x", new byte[]{1}));
                assertTrue(put.getMessage().contains("recovery lock"), put.getMessage());
                ClusterException fetch = assertThrows(ClusterException.class,
                        () -> b.volatileDb("opens").fetchLocked("k"));
                assertTrue(fetch.getMessage().contains("recovery lock"), fetch.getMessage());
                a.persistent("users").put("x", new byte[]{1}); // the lock holder's side serves

                long t0 = System.nanoTime();
                a.close();
                Await.until(Duration.ofSeconds(5), b::serving, () -> "b did not take over");
                System.out.printf("other side serving %d ms after the lock holder left%n",
                        (System.nanoTime() - t0) / 1_000_000);
                assertTrue(b.holdsRecoveryLock());
                b.persistent("users").put("y", new byte[]{2});
                try (LockedRecord r = b.volatileDb("opens").fetchLocked("k")) {
                    r.store(new byte[]{3});
                }
            }
        } finally {
            a.close();
        }
    }

    @Test
    void aTwoNodeClusterKeepsServingWhenOneNodeDies() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 2).startAll()) {
            nodes.awaitConverged(Duration.ofSeconds(20));
            Await.until(Duration.ofSeconds(5), () -> nodes.node(0).serving() && nodes.node(1).serving(),
                    nodes::describe);
            try (LockedRecord r = nodes.node(1).volatileDb("opens").fetchLocked("file")) {
                r.store(new byte[]{7});
            }
            assertTrue(nodes.node(0).holdsRecoveryLock());
            nodes.stop(0); // the coordinator and lock holder
            Await.until(Duration.ofSeconds(3), () -> nodes.node(1).holdsRecoveryLock() && nodes.node(1).serving(),
                    nodes::describe);
            assertEquals(7, nodes.node(1).volatileDb("opens").fetch("file").orElseThrow()[0],
                    "the survivor's own record survives");
            nodes.node(1).persistent("users").put("z", new byte[]{1});
            assertFalse(nodes.node(1).nodes().get(0).state() == org.bladeshare.cluster.membership.NodeState.OK);
        }
    }
}
