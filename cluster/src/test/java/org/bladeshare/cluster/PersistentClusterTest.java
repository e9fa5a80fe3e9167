package org.bladeshare.cluster;

import org.bladeshare.cluster.db.PersistentDb;
import org.bladeshare.cluster.membership.NodeState;
import org.bladeshare.cluster.membership.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several nodes in this JVM: membership and the persistent databases. */
class PersistentClusterTest {
    private static final Duration VIEW = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(Optional<byte[]> v) {
        return v.map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void threeNodesFormOneViewWithOneCoordinator() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3)) {
            long t0 = System.nanoTime();
            nodes.startAll();
            long started = (System.nanoTime() - t0) / 1_000_000;
            long converged = nodes.awaitConverged(VIEW);
            System.out.printf("3-node view: starts returned after %d ms, all OK %d ms later%n", started, converged);
            List<NodeStatus> first = nodes.node(0).nodes();
            for (int pnn = 0; pnn < 3; pnn++) {
                List<NodeStatus> table = nodes.node(pnn).nodes();
                assertEquals(3, table.size());
                assertEquals(1, table.stream().filter(NodeStatus::coordinator).count(), "one coordinator");
                assertEquals(first.stream().filter(NodeStatus::coordinator).findFirst().orElseThrow().pnn(),
                        table.stream().filter(NodeStatus::coordinator).findFirst().orElseThrow().pnn(),
                        "all nodes agree on the coordinator");
                for (NodeStatus s : table) {
                    assertEquals(NodeState.OK, s.state());
                    assertEquals("blade" + (s.pnn() + 1), s.name());
                    assertEquals(s.pnn() == pnn, s.self());
                    assertEquals("127.0.0.1:" + nodes.peers().get(s.pnn()).getPort(), s.address());
                }
                assertEquals(pnn, nodes.node(pnn).pnn());
            }
        }
    }

    @Test
    void putOnOneNodeIsReadableOnEveryNodeWhenItReturns() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3).startAll()) {
            nodes.awaitConverged(VIEW);
            List<String> seenOnThird = new CopyOnWriteArrayList<>();
            try (AutoCloseable w = nodes.node(2).persistent("users").watch((k, v) ->
                    seenOnThird.add(k + "=" + (v == null ? null : new String(v, StandardCharsets.UTF_8))))) {
                nodes.node(1).persistent("users").put("alice", b("hash-a"));
                assertEquals("hash-a", str(nodes.node(0).persistent("users").get("alice")));
                assertEquals("hash-a", str(nodes.node(2).persistent("users").get("alice")));

                nodes.node(0).persistent("users").put("bob", b("hash-b"));
                nodes.node(2).persistent("users").delete("alice");
                for (int pnn = 0; pnn < 3; pnn++) {
                    PersistentDb users = nodes.node(pnn).persistent("users");
                    assertEquals(Optional.empty(), users.get("alice"), "alice deleted on node " + pnn);
                    assertEquals(List.of("bob"), List.copyOf(users.snapshot().keySet()));
                }
                assertEquals(List.of("alice=hash-a", "bob=hash-b", "alice=null"), seenOnThird);
            }
            assertTrue(nodes.node(1).persistentDatabases().contains("users"));
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                nodes.node(1).persistent("timing").put("k" + i, b("v"));
            }
            System.out.printf("persistent put from a non-coordinator, 3 nodes: %.1f ms each%n",
                    (System.nanoTime() - t0) / 1e6 / 100);
        }
    }

    @Test
    void closedNodeIsDisconnectedOnTheOthersWithinTwoSeconds() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3).startAll()) {
            nodes.awaitConverged(VIEW);
            nodes.stop(2);
            long seen = nodes.awaitConverged(Duration.ofSeconds(2));
            System.out.printf("closed node DISCONNECTED on the others after %d ms%n", seen);
            assertEquals(NodeState.DISCONNECTED, nodes.node(0).nodes().get(2).state());
            assertEquals("blade3", nodes.node(0).nodes().get(2).name(), "a node seen before keeps its name");

            nodes.stop(0); // the coordinator
            long seenCoord = nodes.awaitConverged(Duration.ofSeconds(2));
            System.out.printf("closed coordinator DISCONNECTED after %d ms%n", seenCoord);
            assertTrue(nodes.node(1).nodes().get(1).coordinator(), "the survivor coordinates");
            nodes.node(1).persistent("shares").put("data", b("/srv/data"));
            assertEquals("/srv/data", str(nodes.node(1).persistent("shares").get("data")));
        }
    }

    @Test
    void nodeNeverSeenIsNamedByItsAddress() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 2)) {
            nodes.start(0);
            NodeStatus other = nodes.node(0).nodes().get(1);
            assertEquals(NodeState.DISCONNECTED, other.state());
            assertEquals(other.address(), other.name());
            assertTrue(nodes.node(0).nodes().get(0).coordinator());
        }
    }

    @Test
    void restartedNodeCatchesUpOnWritesItMissed() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3).startAll()) {
            nodes.awaitConverged(VIEW);
            nodes.node(0).persistent("users").put("alice", b("1"));
            nodes.stop(2);
            nodes.awaitConverged(Duration.ofSeconds(2));
            nodes.node(1).persistent("users").put("bob", b("2"));
            nodes.node(0).persistent("users").put("alice", b("3"));
            nodes.node(0).persistent("policies").put("minlen", b("8"));

            ClusterNode back = nodes.start(2);
            long caughtUp = Await.until(Duration.ofSeconds(10),
                    () -> "3".equals(str(back.persistent("users").get("alice")))
                            && "2".equals(str(back.persistent("users").get("bob")))
                            && "8".equals(str(back.persistent("policies").get("minlen"))),
                    () -> "node 3 has " + back.persistent("users").snapshot().keySet());
            System.out.printf("restarted node caught up %d ms after start returned%n", caughtUp);
        }
    }

    @Test
    void dataSurvivesARestartOfEveryNode() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3).startAll()) {
            nodes.awaitConverged(VIEW);
            nodes.node(1).persistent("users").put("alice", b("a"));
            nodes.node(2).persistent("users").put("bob", b("b"));
            nodes.close();

            ClusterNode alone = nodes.start(0);
            assertEquals("a", str(alone.persistent("users").get("alice")), "node 1 alone has its own data");
            alone.persistent("users").put("carol", b("c")); // written while a single node is up
            nodes.stop(0);

            nodes.start(2);
            nodes.start(1);
            nodes.start(0);
            nodes.awaitConverged(VIEW);
            for (int pnn = 0; pnn < 3; pnn++) {
                ClusterNode n = nodes.node(pnn);
                Await.until(Duration.ofSeconds(10),
                        () -> n.persistent("users").snapshot().keySet().equals(java.util.Set.of("alice", "bob", "carol")),
                        () -> "node " + n.pnn() + " has " + n.persistent("users").snapshot().keySet());
            }
        }
    }

    @Test
    void newestCopyWinsWhenItsHolderJoinsLast() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 2).startAll()) {
            nodes.awaitConverged(VIEW);
            nodes.node(0).persistent("users").put("alice", b("old"));
            nodes.stop(1);
            nodes.awaitConverged(Duration.ofSeconds(2));
            nodes.node(0).persistent("users").put("alice", b("new"));
            nodes.stop(0);

            ClusterNode stale = nodes.start(1); // coordinator now, with the older copy
            assertEquals("old", str(stale.persistent("users").get("alice")));
            nodes.start(0);
            nodes.awaitConverged(VIEW);
            Await.until(Duration.ofSeconds(10), () -> "new".equals(str(stale.persistent("users").get("alice"))),
                    () -> "stale node still has " + str(stale.persistent("users").get("alice")));
            assertEquals("new", str(nodes.node(0).persistent("users").get("alice")));
            stale.persistent("users").put("bob", b("b"));
            assertArrayEquals(b("b"), nodes.node(0).persistent("users").get("bob").orElseThrow());
        }
    }

    @Test
    void everyWriteThatReturnedSurvivesTheCoordinatorLeavingMidStream() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3).startAll()) {
            nodes.awaitConverged(VIEW);
            List<String> committed = new CopyOnWriteArrayList<>();
            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 200; i++) {
                    nodes.node(1).persistent("stream").put("k" + i, b("v" + i));
                    committed.add("k" + i);
                }
            });
            Await.until(Duration.ofSeconds(10), () -> committed.size() >= 20, () -> committed.size() + " writes");
            nodes.stop(0); // the coordinator, while writes are in flight
            writer.join(Duration.ofSeconds(30));
            assertEquals(200, committed.size(), "every write returned");
            for (int pnn = 1; pnn < 3; pnn++) {
                var copy = nodes.node(pnn).persistent("stream").snapshot();
                for (String k : committed) {
                    assertTrue(copy.containsKey(k), k + " missing on node " + pnn);
                }
            }
            assertEquals(nodes.node(1).persistent("stream").snapshot().keySet(),
                    nodes.node(2).persistent("stream").snapshot().keySet(), "survivors agree");
        }
    }

    @Test
    void concurrentWritersOnEveryNodeLeaveIdenticalCopies() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3).startAll()) {
            nodes.awaitConverged(VIEW);
            List<Thread> writers = new java.util.ArrayList<>();
            for (int n = 0; n < 3; n++) {
                int node = n;
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 30; i++) {
                        nodes.node(node).persistent("shares").put("share-" + node + "-" + i, b("n" + node));
                        nodes.node(node).persistent("shares").put("common", b("n" + node + "-" + i));
                    }
                }));
            }
            for (Thread t : writers) {
                assertTrue(t.join(Duration.ofSeconds(60)), "writer finished");
            }
            var reference = nodes.node(0).persistent("shares").snapshot();
            assertEquals(91, reference.size());
            for (int pnn = 1; pnn < 3; pnn++) {
                var copy = nodes.node(pnn).persistent("shares").snapshot();
                assertEquals(reference.keySet(), copy.keySet());
                for (var e : reference.entrySet()) {
                    assertArrayEquals(e.getValue(), copy.get(e.getKey()), e.getKey() + " on node " + pnn);
                }
            }
        }
    }

    @Test
    void aNodeJoiningDuringAStreamOfWritesEndsWithEveryOne() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3)) {
            nodes.start(0);
            nodes.start(1);
            nodes.awaitConverged(VIEW);
            List<String> committed = new CopyOnWriteArrayList<>();
            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 150; i++) {
                    nodes.node(1).persistent("stream").put("k" + i, b("v" + i));
                    committed.add("k" + i);
                }
            });
            Await.until(Duration.ofSeconds(10), () -> committed.size() >= 10, () -> committed.size() + " writes");
            ClusterNode joiner = nodes.start(2);
            assertTrue(writer.join(Duration.ofSeconds(60)), "writer finished");
            Await.until(Duration.ofSeconds(10), () -> joiner.persistent("stream").snapshot().size() == 150,
                    () -> "joiner has " + joiner.persistent("stream").snapshot().size() + " of 150");
            assertEquals(nodes.node(0).persistent("stream").snapshot().keySet(),
                    joiner.persistent("stream").snapshot().keySet());
        }
    }
}
