package org.bladeshare.cluster;

import org.bladeshare.cluster.db.LockedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recovery of the volatile databases after a node leaves. */
class VolatileRecoveryTest {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(Optional<byte[]> v) {
        return v.map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null);
    }

    private static void store(ClusterNode n, String key, String value) {
        try (LockedRecord r = n.volatileDb("opens").fetchLocked(key)) {
            r.store(b(value));
        }
    }

    @Test
    void survivorsKeepTheirRecordsAndRebuildTheDeadNodesFromTheHighestRsn() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3).startAll()) {
            nodes.awaitConverged(Duration.ofSeconds(20));
            for (int i = 0; i < 50; i++) {
                store(nodes.node(i % 3), "own-" + i, "v" + i);
            }
            store(nodes.node(0), "moved", "written on node 0");
            assertEquals("written on node 0", str(nodes.node(2).volatileDb("opens").fetch("moved")));
            long genBefore = nodes.node(0).generation();

            long t0 = System.nanoTime();
            nodes.stop(2);
            Await.until(Duration.ofSeconds(3), () -> nodes.node(0).generation() > genBefore
                    && nodes.node(1).generation() == nodes.node(0).generation()
                    && nodes.node(0).serving() && nodes.node(1).serving(), nodes::describe);
            System.out.printf("node closed: volatile databases recovered and thawed %d ms later%n",
                    (System.nanoTime() - t0) / 1_000_000);

            for (int i = 0; i < 50; i++) {
                if (i % 3 != 2) {
                    assertEquals("v" + i, str(nodes.node((i + 1) % 2).volatileDb("opens").fetch("own-" + i)),
                            "record own-" + i);
                }
            }
            // the dead node fetched "moved" but never changed it: the highest surviving copy has the data
            assertEquals("written on node 0", str(nodes.node(1).volatileDb("opens").fetch("moved")));
            assertTrue(nodes.node(1).volatileDb("opens").traverse().containsKey("own-0"));
        }
    }

    @Test
    void migrationsInFlightWhenANodeLeavesFinishAfterRecovery() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3).startAll()) {
            nodes.awaitConverged(Duration.ofSeconds(20));
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean stopAll = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> workers = new java.util.ArrayList<>();
            for (int n = 0; n < 2; n++) {
                ClusterNode node = nodes.node(n);
                workers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 400 && !stopAll.get(); i++) {
                        store(node, "shared-" + (i % 7), "n" + node.pnn() + "-" + i);
                        done.incrementAndGet();
                    }
                }));
            }
            Thread victim = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 100_000 && !stopAll.get(); i++) {
                    try {
                        store(nodes.node(2), "shared-" + (i % 7), "n2-" + i);
                    } catch (RuntimeException closed) {
                        return; // its node is gone
                    }
                }
            });
            Await.until(Duration.ofSeconds(10), () -> done.get() > 100, () -> done + " operations");
            nodes.stop(2);
            try {
                for (Thread t : workers) {
                    assertTrue(t.join(Duration.ofSeconds(30)), "survivors' operations all complete");
                }
            } finally {
                stopAll.set(true);
                victim.join(Duration.ofSeconds(10));
            }
            assertEquals(800, done.get());
            var a = nodes.node(0).volatileDb("opens").traverse();
            assertEquals(7, a.size(), "every shared record still exists once: " + a.keySet());
        }
    }
}
