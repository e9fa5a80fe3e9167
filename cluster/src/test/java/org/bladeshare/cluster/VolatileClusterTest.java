package org.bladeshare.cluster;

import org.bladeshare.cluster.db.LockedRecord;
import org.bladeshare.cluster.db.Record;
import org.bladeshare.cluster.db.VolatileDb;
import org.bladeshare.cluster.db.VolatileStore;
import org.bladeshare.cluster.recovery.RecoveryStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three nodes in this JVM: CTDB record migration, message counts and recovery. */
class VolatileClusterTest {
    @TempDir
    static Path tmp;
    static TestNodes nodes;

    @BeforeAll
    static void startCluster() throws Exception {
        nodes = new TestNodes(tmp, 3).startAll();
        nodes.awaitConverged(Duration.ofSeconds(20));
        awaitServingEverywhere();
    }

    @AfterAll
    static void stopCluster() {
        nodes.close();
    }

    static void awaitServingEverywhere() {
        Await.until(Duration.ofSeconds(10), () -> {
            long g = nodes.node(0).generation();
            for (int i = 0; i < 3; i++) {
                if (!nodes.node(i).serving() || nodes.node(i).generation() != g) {
                    return false;
                }
            }
            return true;
        }, () -> "generations " + nodes.node(0).generation() + "/" + nodes.node(1).generation() + "/"
                + nodes.node(2).generation());
    }

    /**
     * Messages of the record protocol (MigrateRequest, MigrateForward, MigrateReply) sent by
     * every node: what fetch-lock-store costs, without the background traffic of membership
     * (node-flag greetings, recoveries) that may overlap a measurement.
     */
    static long migrationMessages() {
        long sum = 0;
        for (int i = 0; i < 3; i++) {
            for (var e : nodes.node(i).messages().byType().entrySet()) {
                if (e.getKey().startsWith("Migrate")) {
                    sum += e.getValue();
                }
            }
        }
        return sum;
    }

    static long totalMessages() {
        long sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += nodes.node(i).messages().total();
        }
        return sum;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(Optional<byte[]> v) {
        return v.map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void aRecordMigratesToTheNodeThatFetchesIt() throws Exception {
        VolatileDb[] db = {nodes.node(0).volatileDb("opens"), nodes.node(1).volatileDb("opens"),
                nodes.node(2).volatileDb("opens")};
        List<String> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AutoCloseable w = db[0].watch((k, v) -> watched.add(k + "=" + (v == null ? null
                : new String(v, StandardCharsets.UTF_8))));
             LockedRecord r = db[0].fetchLocked("share/a.txt")) {
            assertTrue(r.data().isEmpty(), "a new record is empty");
            r.store(b("open by node 0"));
        }
        assertEquals(List.of("share/a.txt=open by node 0"), watched);
        long rsnOnNode1;
        try (LockedRecord r = db[1].fetchLocked("share/a.txt")) {
            assertEquals("open by node 0", str(r.data()));
            r.store(b("open by node 0 and 1"));
            rsnOnNode1 = r.rsn();
        }
        assertEquals("open by node 0 and 1", str(db[2].fetch("share/a.txt")));
        Record onNode2 = nodes.node(2).localVolatileCopy("opens").get("share/a.txt");
        assertEquals(2, onNode2.dmaster(), "the record now lives on node 2");
        assertEquals(rsnOnNode1 + 1, onNode2.rsn(), "the migration shipped it with RSN+1");
        assertEquals(2, nodes.node(1).localVolatileCopy("opens").get("share/a.txt").dmaster(),
                "the old DMASTER's stale copy names the new one");
        try (LockedRecord r = db[0].fetchLocked("share/a.txt")) {
            r.delete();
        }
        assertEquals(Optional.empty(), db[1].fetch("share/a.txt"));
    }

    @Test
    void aRecordUsedByOneNodeCostsNoMessagesAfterItsFirstMigration() {
        VolatileDb locks = nodes.node(1).volatileDb("brlocks");
        String key = "private-file";
        for (int i = 0; org.bladeshare.cluster.db.Lmaster.of(key, List.of(0, 1, 2)) == 1; i++) {
            key = "private-file-" + i; // one whose LMASTER is another node, so the first use migrates
        }
        long before = migrationMessages();
        try (LockedRecord r = locks.fetchLocked(key)) {
            r.store(b("0"));
        }
        long firstUse = migrationMessages() - before;
        assertTrue(firstUse >= 2 && firstUse <= 4, "first migration took " + firstUse + " messages");
        long steady = migrationMessages();
        for (int i = 1; i <= 1000; i++) {
            try (LockedRecord r = locks.fetchLocked(key)) {
                r.store(b(Integer.toString(i)));
            }
        }
        assertEquals(0, migrationMessages() - steady, "1000 fetch-lock-store operations on a private record");
        assertEquals("1000", str(locks.fetch(key)));
        System.out.printf("private record: %d messages for the first use, 0 for the next 1000%n", firstUse);
    }

    @Test
    void aContendedRecordIsNeverLostUpdated() throws Exception {
        int perNode = 60;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            long before = totalMessages();
            for (int n = 0; n < 3; n++) {
                VolatileDb db = nodes.node(n).volatileDb("counters");
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perNode; i++) {
                        try (LockedRecord r = db.fetchLocked("hot")) {
                            long v = r.data().map(x -> ByteBuffer.wrap(x).getLong()).orElse(0L);
                            r.store(ByteBuffer.allocate(8).putLong(v + 1).array());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double perOp = (totalMessages() - before) / (3.0 * perNode);
            System.out.printf("hot record over 3 nodes: %.2f messages per operation%n", perOp);
        }
        long total = ByteBuffer.wrap(nodes.node(0).volatileDb("counters").fetch("hot").orElseThrow()).getLong();
        assertEquals(3L * perNode, total);
    }

    @Test
    void traverseSeesEveryRecordOnWhicheverNodeHoldsIt() {
        for (int n = 0; n < 3; n++) {
            try (LockedRecord r = nodes.node(n).volatileDb("leases").fetchLocked("lease-" + n)) {
                r.store(b("node" + n));
            }
        }
        var all = nodes.node(1).volatileDb("leases").traverse();
        assertEquals(List.of("lease-0", "lease-1", "lease-2"), List.copyOf(all.keySet()));
        assertEquals("node2", new String(all.get("lease-2"), StandardCharsets.UTF_8));
    }

    @Test
    void recoveryOf100000RecordsOverThreeNodesTakesUnderTwoSeconds() {
        int total = 100_000;
        for (int n = 0; n < 3; n++) {
            VolatileStore copy = nodes.node(n).localVolatileCopy("bulk");
            for (int i = n; i < total; i += 3) {
                copy.put("rec-" + i, new Record(1, n, b("value-" + i)));
            }
        }
        int coordinator = nodes.node(0).nodes().stream().filter(s -> s.coordinator()).findFirst().orElseThrow().pnn();
        ClusterNode coord = nodes.node(coordinator);
        RecoveryStats before = coord.lastRecovery();
        assertTrue(coord.requestRecovery());
        Await.until(Duration.ofSeconds(15), () -> coord.lastRecovery() != before
                        && coord.lastRecovery().generation() > before.generation(),
                () -> "no recovery after " + before);
        RecoveryStats stats = coord.lastRecovery();
        System.out.printf("recovery of %d volatile records over 3 nodes: %d ms%n",
                stats.volatileRecords(), stats.took().toMillis());
        assertTrue(stats.volatileRecords() >= total, stats.toString());
        assertTrue(stats.took().compareTo(Duration.ofSeconds(2)) < 0, stats.toString());
        awaitServingEverywhere();

        // records stayed where they were used: the owner's access costs no messages
        long steady = migrationMessages();
        for (int i = 0; i < 300; i++) {
            assertEquals("value-" + i, str(nodes.node(i % 3).volatileDb("bulk").fetch("rec-" + i)));
        }
        assertEquals(0, migrationMessages() - steady);
        // and another node can still take any of them
        assertEquals("value-4", str(nodes.node(0).volatileDb("bulk").fetch("rec-4")));
    }
}
