package org.bladeshare.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.bladeshare.appliance.admin.AdminClient.AdminException;
import org.bladeshare.appliance.admin.AdminClient.NodeUnreachableException;
import org.bladeshare.tests.Env;
import org.bladeshare.tests.NodeProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 5's split-brain guard, with real network namespaces: three nodes, each in its own
 * namespace on a bridge (198.18.0.1-3), the recovery lock on a directory all three share.
 * While a stream of persistent transactions runs through every node, one node's cable is
 * pulled ({@link NetnsLab#cut}); the side without the recovery lock must stop serving
 * (persistent and volatile writes fail there) within the detection time while the side
 * holding it keeps committing; when the cable is back the cluster merges into one and every
 * node holds the same bytes, with every acknowledged transaction.
 *
 * <p>Two partitions are made in turn: first a node that does not hold the lock is cut off
 * (the two others serve), then the lock holder itself (it serves alone and the two others
 * stop: CTDB's rule is the lock, not the majority).
 */
class PartitionTest {
    private static final String DB = "parttest";
    private static final String VOL = "partvol";
    /**
     * A pulled cable is seen by heartbeats alone (no TCP reset): default failure timeout 1.5 s +
     * suspect verification 0.3 s (ClusterTunables) + the new view, measured 2-3.3 s here on 2
     * loaded cores; this bound only catches a detector that does not work.
     */
    static final Duration DETECTION_LIMIT = Duration.ofMillis(4000);
    /**
     * After its status shows the partition, a node acknowledges no write at all (asserted), and
     * refuses one within this: usually 30-50 ms here; once in 4 partitions a probe took 3 s to be
     * refused (not yet explained; no write was acknowledged meanwhile).
     */
    static final Duration STOP_AFTER_DETECTION = Duration.ofMillis(3500);

    @Test
    void onlyTheSideHoldingTheRecoveryLockServesAndNothingIsLostOnHeal() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                        && org.bladeshare.tests.Proc.run(List.of("ip", "netns", "list"), null, Duration.ofSeconds(10)).exit() == 0,
                "network namespaces need root and iproute2");
        Path work = Files.createTempDirectory("bladeshare-partition");
        List<NodeProcess> nodes = new ArrayList<>();
        List<AdminLink> links = new ArrayList<>();
        TransactionStream stream = null;
        NetnsLab lab = NetnsLab.create(3);
        try {
            int port = 17800;
            String peers = String.join(",", List.of(1, 2, 3).stream().map(i -> NetnsLab.address(i) + ":" + port).toList());
            for (int i = 1; i <= 3; i++) {
                NodeProcess n = new NodeProcess("node" + i, work, Env.freePort(), Env.freePort(), port);
                n.start(lab.exec(i), NetnsLab.address(i), work.resolve("shared"), peers);
                nodes.add(n);
                links.add(new AdminLink(n.dataDir));
            }
            for (NodeProcess n : nodes) {
                n.awaitOk(3, Duration.ofSeconds(120));
            }
            assertEquals(0, nodes.get(0).ctl(null, "db", "attach", DB, "--persistent").exit());
            assertEquals(0, nodes.get(0).ctl(null, "db", "attach", VOL).exit());
            stream = new TransactionStream(DB, nodes.stream().map(n -> n.dataDir).toList());
            stream.start();
            Thread.sleep(1000);

            int holder = coordinatorIndex(nodes.get(0));
            int other = holder == 2 ? 1 : 2;
            partition(lab, stream, nodes, links, other, List.of(other), "a node without the lock");
            int holderNow = coordinatorIndex(nodes.get(0));
            List<Integer> stopping = new ArrayList<>(List.of(0, 1, 2));
            stopping.remove(Integer.valueOf(holderNow));
            partition(lab, stream, nodes, links, holderNow, stopping, "the lock holder");
            System.out.printf("partition: %d transactions acknowledged in all, %d failed%n",
                    stream.ackedTransactions.get(), stream.failed.get());
        } catch (Throwable t) {
            for (NodeProcess n : nodes) {
                System.err.println("---- " + n.name + "\n" + n.logTail());
            }
            throw t;
        } finally {
            if (stream != null) {
                stream.close();
            }
            links.forEach(AdminLink::close);
            nodes.forEach(NodeProcess::close);
            lab.close();
        }
    }

    /**
     * Cuts node {@code cut} off; the nodes in {@code stopping} must stop serving within the
     * detection time, the others must go on committing; then heals and checks the merge.
     */
    private static void partition(NetnsLab lab, TransactionStream stream, List<NodeProcess> nodes,
                                  List<AdminLink> links, int cut, List<Integer> stopping, String what)
            throws Exception {
        List<Integer> serving = new ArrayList<>(List.of(0, 1, 2));
        serving.removeAll(stopping);
        List<java.util.concurrent.CompletableFuture<Long>> seen = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int s : stopping) {
            // detection: this node's status shows only its own side OK
            AdminLink statusLink = new AdminLink(nodes.get(s).dataDir);
            seen.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (statusLink) {
                    while (System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos()) {
                        if (statusLink.okCount() == stopping.size()) {
                            return (System.nanoTime() - t0) / 1_000_000;
                        }
                        Thread.sleep(20);
                    }
                    return -1L;
                } catch (InterruptedException e) {
                    return -1L;
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        lab.cut(cut + 1);
        List<Long> stopped = new ArrayList<>();
        long[] lastAccepted = {-1};
        for (int s : stopping) {
            stopped.add(awaitWriteRefused(links.get(s), nodes.get(s).name, t0, lastAccepted));
        }
        long stopMs = stopped.stream().mapToLong(Long::longValue).max().orElseThrow();
        long detectMs = 0;
        for (var f : seen) {
            long ms = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(ms >= 0, "the partition was not seen in the status within 20 s");
            detectMs = Math.max(detectMs, ms);
        }
        for (int s : stopping) {
            String err = volatileWriteError(links.get(s));
            assertTrue(err != null, nodes.get(s).name + " still serves its volatile databases");
            assertTrue(err.contains("recovery lock"), nodes.get(s).name + " refused volatile access for another reason: " + err);
        }
        long ackedBefore = stream.ackedTransactions.get();
        for (int s : serving) {
            try {
                links.get(s).put(DB, "during-" + what.replace(' ', '-') + "-" + s, "x");
            } catch (AdminException e) {
                fail(nodes.get(s).name + " holds the lock side but refused a write: " + e.getMessage());
            }
            assertEquals(null, volatileWriteError(links.get(s)), nodes.get(s).name + " volatile write");
        }
        Thread.sleep(1500);
        long committedDuring = stream.ackedTransactions.get() - ackedBefore;
        assertTrue(committedDuring > 0, "the side holding the lock committed nothing during the partition");

        long t1 = System.nanoTime();
        lab.heal(cut + 1);
        for (int i = 0; i < 3; i++) {
            KillNineTest.awaitOkCount(links.get(i), 3, Duration.ofSeconds(60), nodes.get(i).name);
        }
        long mergeMs = (System.nanoTime() - t1) / 1_000_000;
        // every node serves again: a write through each, then one picture everywhere
        for (int i = 0; i < 3; i++) {
            awaitWriteAccepted(links.get(i), nodes.get(i).name, "after-" + what.replace(' ', '-') + "-" + i);
        }
        stream.quiesced(() -> {
            Map<String, String> first = null;
            for (int i = 0; i < 3; i++) {
                Map<String, String> dump = withoutProbes(KillNineTest.cliDumpOf(nodes.get(i), DB));
                stream.verify(nodes.get(i).name, dump);
                if (first == null) {
                    first = dump;
                } else if (!first.equals(dump)) {
                    fail(nodes.get(i).name + " disagrees with node1 after the merge: " + KillNineTest.difference(first, dump));
                }
            }
            return null;
        });
        System.out.printf("partition cutting off %s (node%d): %s saw it after %d ms and stopped serving after %d ms;"
                        + " %d transactions committed on the other side meanwhile; merged back (3 OK everywhere) %d ms"
                        + " after the heal%n", what, cut + 1, stopping.stream().map(s -> nodes.get(s).name).toList(),
                detectMs, stopMs, committedDuring, mergeMs);
        assertTrue(lastAccepted[0] < detectMs, "the side without the lock acknowledged a write " + lastAccepted[0]
                + " ms after the cut, after it had seen the partition (" + detectMs + " ms): split brain");
        assertTrue(stopMs <= detectMs + STOP_AFTER_DETECTION.toMillis(), "the side without the lock took "
                + stopMs + " ms to refuse a write, " + (stopMs - detectMs) + " ms after it saw the partition");
        assertTrue(detectMs <= DETECTION_LIMIT.toMillis(), "the partition took " + detectMs + " ms to be seen");
    }

    /**
     * Ms from t0 until a persistent write through the node is refused (each attempt blocks
     * until it is decided); lastAccepted[0] becomes the latest ms at which one was acknowledged.
     */
    private static long awaitWriteRefused(AdminLink link, String name, long t0, long[] lastAccepted) throws Exception {
        long deadline = t0 + Duration.ofSeconds(20).toNanos();
        int i = 0;
        while (System.nanoTime() < deadline) {
            try {
                link.put(DB, "probe-" + name + "-" + (i++), "p");
                lastAccepted[0] = Math.max(lastAccepted[0], (System.nanoTime() - t0) / 1_000_000);
            } catch (AdminException e) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
        }
        throw new AssertionError(name + " kept accepting writes for 20 s after the cut");
    }

    private static void awaitWriteAccepted(AdminLink link, String name, String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                link.put(DB, "probe-" + key, "p");
                return;
            } catch (AdminException e) {
                last = e.getMessage();
                Thread.sleep(100);
            }
        }
        fail(name + " did not accept writes again within 30 s after the heal: " + last);
    }

    /** The error of a volatile fetch-lock-store through the node, or null if it worked. */
    private static String volatileWriteError(AdminLink link) throws NodeUnreachableException {
        try {
            link.call("db.put", Map.of("name", VOL, "key", "k", "value", "v"));
            return null;
        } catch (AdminException e) {
            return e.getMessage();
        }
    }

    /** Probe writes are not in the stream's ledger: leave them out before verifying. */
    private static Map<String, String> withoutProbes(Map<String, String> dump) {
        Map<String, String> out = new java.util.TreeMap<>(dump);
        out.keySet().removeIf(k -> k.startsWith("probe-") || k.startsWith("during-"));
        return out;
    }

    private static int coordinatorIndex(NodeProcess node) {
        JsonNode status = node.status();
        assertTrue(status != null && status.path("coordinator").isInt(), "no coordinator in " + status);
        return status.path("coordinator").asInt();
    }
}
