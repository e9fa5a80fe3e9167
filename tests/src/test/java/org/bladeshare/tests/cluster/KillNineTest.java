package org.bladeshare.tests.cluster;

import org.bladeshare.tests.NodeProcess;
import org.bladeshare.tests.Proc;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 5, "What proves it": three nodes as separate processes, a stream of persistent
 * transactions through all three, and {@code kill -9} of a random node at a random moment,
 * then its restart, round after round. After every kill the survivors must agree byte for
 * byte and hold every acknowledged transaction, and nothing nobody wrote; after every
 * restart the restarted node must have caught up to the same bytes.
 *
 * <p>Transactions alternate between single-record {@code db put}s and three-record
 * {@code db ptrans} transactions (all three records or none, on every node), sent over the
 * node's admin socket (the one {@code bladectl} uses) by one writer per node, so hundreds are committed per round instead of two a second through
 * {@code bladectl}'s JVM start; the checks of the first and last rounds use
 * {@code bladectl db dump NAME --json} itself.
 *
 * <p>Rounds: {@value #ROUNDS} are asked for ({@code -Dcluster.kill.rounds=N}); the test stops
 * early only if {@value #BUDGET_SECONDS} s are used, so that a slow machine cannot hold CI for
 * long. A round takes about 8.5 s here, most of it the restarted node's JVM boot (3.7-9 s to 3
 * nodes OK), so the 50 rounds take about 7 minutes (measured 2026-11-25 with a 330 s budget:
 * 39-41 rounds, 6,675-6,693 transactions acknowledged, none lost). On 2026-12-03 the same kind of
 * machine booted a restarted node to 3 OK in 9.8-19.6 s (median 12.5 s), the landed code and the
 * new alike, and 32-33 rounds fitted in 540 s; hence 720 s (the whole CI run then about 27 minutes). The number of rounds done is printed and must be at least {@value #MIN_ROUNDS}.
 */
class KillNineTest {
    static final int ROUNDS = 50;
    static final int MIN_ROUNDS = 30;
    static final long BUDGET_SECONDS = 720;
    private static final String DB = "killtest";

    @Test
    void noAcknowledgedTransactionIsLostWhileRandomNodesAreKilled() throws Exception {
        int rounds = Integer.getInteger("cluster.kill.rounds", ROUNDS);
        long seed = Long.getLong("cluster.kill.seed", System.nanoTime());
        long budget = Long.getLong("cluster.kill.budget", BUDGET_SECONDS);
        Random random = new Random(seed);
        long testStart = System.nanoTime();
        Path work = Files.createTempDirectory("bladeshare-kill9");
        List<NodeProcess> nodes = new ArrayList<>();
        List<AdminLink> links = new ArrayList<>();
        TransactionStream stream = null;
        List<Long> detections = new ArrayList<>();
        List<Long> rejoins = new ArrayList<>();
        int done = 0;
        try {
            // the clustered database under kill -9, not SMB: a warm-up's seconds of CPU after each
            // of 50 restarts would crowd out the rounds (23 of 50 fit in the budget with it)
            nodes.addAll(NodeProcess.startCluster(work, 3, false));
            for (NodeProcess n : nodes) {
                n.awaitOk(3, Duration.ofSeconds(120));
                links.add(new AdminLink(n.dataDir));
            }
            Proc attach = nodes.get(0).ctl(null, "db", "attach", DB, "--persistent");
            assertEquals(0, attach.exit(), attach::toString);
            ptransThroughBladectl(nodes);
            stream = new TransactionStream(DB, nodes.stream().map(n -> n.dataDir).toList());
            stream.start();
            for (int round = 1; round <= rounds; round++) {
                if (System.nanoTime() - testStart > Duration.ofSeconds(budget).toNanos()) {
                    break;
                }
                boolean viaCli = round == 1 || round == rounds;
                Thread.sleep(200 + random.nextInt(800)); // a random moment in the stream
                int victim = random.nextInt(3);
                List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
                survivors.remove(Integer.valueOf(victim));
                long t0 = System.nanoTime();
                nodes.get(victim).kill9();
                for (int s : survivors) {
                    awaitOkCount(links.get(s), 2, Duration.ofSeconds(15), nodes.get(s).name);
                }
                detections.add((System.nanoTime() - t0) / 1_000_000);
                Thread.sleep(200 + random.nextInt(500)); // transactions while a node is dead
                TransactionStream s0 = stream;
                stream.quiesced(() -> {
                    compareAndVerify(s0, nodes, links, survivors, viaCli);
                    return null;
                });

                long t1 = System.nanoTime();
                nodes.get(victim).restart();
                awaitOkCount(links.get(victim), 3, Duration.ofSeconds(90), nodes.get(victim).name);
                for (int s : survivors) {
                    awaitOkCount(links.get(s), 3, Duration.ofSeconds(30), nodes.get(s).name);
                }
                rejoins.add((System.nanoTime() - t1) / 1_000_000);
                stream.quiesced(() -> {
                    compareAndVerify(s0, nodes, links, List.of(0, 1, 2), viaCli);
                    return null;
                });
                done = round;
            }
        } catch (Throwable t) {
            System.err.println("seed " + seed + ", failed in round " + (done + 1));
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
        }
        long secs = (System.nanoTime() - testStart) / 1_000_000_000;
        System.out.printf("kill -9: %d of %d rounds in %d s (seed %d); %d transactions (%d records) acknowledged, %d failed or"
                        + " unanswered, %d not sent to a dead node; death seen after %s ms (max %d); restart to 3 OK %s ms%n",
                done, rounds, secs, seed, stream.ackedTransactions.get(), stream.acked.size(), stream.failed.get(), stream.unsent.get(), summary(detections),
                detections.stream().mapToLong(Long::longValue).max().orElse(-1), summary(rejoins));
        assertTrue(done >= Math.min(rounds, MIN_ROUNDS), "only " + done + " rounds fit in " + budget + " s");
        assertTrue(stream.acked.size() > 10L * done, "the stream committed too little to mean anything: "
                + stream.acked.size());
    }

    /**
     * {@code bladectl db ptrans} as an administrator uses it: records from standard input,
     * committed on one node and read on another; a key alone deletes; bad input is one sentence.
     */
    private static void ptransThroughBladectl(List<NodeProcess> nodes) throws Exception {
        NodeProcess first = nodes.get(0);
        NodeProcess last = nodes.get(2);
        assertEquals(0, first.ctl(null, "db", "attach", "clitrans", "--persistent").exit());
        Proc put = first.ctl("alpha 1\nbeta two words\ngamma 3\n", "db", "ptrans", "clitrans");
        assertEquals(0, put.exit(), put::toString);
        assertTrue(put.out().contains("committed 3 records"), put.out());
        Proc change = nodes.get(1).ctl("alpha\ndelta 4\n", "db", "ptrans", "clitrans");
        assertEquals(0, change.exit(), change::toString);
        assertEquals(Map.of("beta", "two words", "gamma", "3", "delta", "4"), cliDumpOf(last, "clitrans"));

        Proc empty = first.ctl("", "db", "ptrans", "clitrans");
        assertEquals(2, empty.exit(), empty::toString);
        assertTrue(empty.err().contains("no records on standard input"), empty.err());
        assertEquals(0, first.ctl(null, "db", "attach", "clivolatile").exit());
        Proc notPersistent = first.ctl("k v\n", "db", "ptrans", "clivolatile");
        assertEquals(2, notPersistent.exit(), notPersistent::toString);
        assertTrue(notPersistent.err().contains("not persistent"), notPersistent.err());
    }

    /** The given nodes' dumps are identical, and consistent with the ledger. */
    private static void compareAndVerify(TransactionStream stream, List<NodeProcess> nodes, List<AdminLink> links,
                                         List<Integer> which, boolean viaCli) throws Exception {
        Map<String, String> first = null;
        String firstName = null;
        for (int i : which) {
            Map<String, String> dump = viaCli ? cliDump(nodes.get(i)) : links.get(i).dump(DB);
            stream.verify(nodes.get(i).name, dump);
            if (first == null) {
                first = dump;
                firstName = nodes.get(i).name;
            } else if (!first.equals(dump)) {
                fail(nodes.get(i).name + " and " + firstName + " disagree: " + difference(first, dump));
            }
        }
    }

    /** {@code bladectl db dump NAME --json}, parsed. */
    static TreeMap<String, String> cliDump(NodeProcess node) throws Exception {
        return cliDumpOf(node, DB);
    }

    /** {@code bladectl db dump NAME --json}, parsed. */
    static TreeMap<String, String> cliDumpOf(NodeProcess node, String db) throws Exception {
        Proc p = node.ctl(null, "db", "dump", db, "--json");
        assertEquals(0, p.exit(), p::toString);
        TreeMap<String, String> out = new TreeMap<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.out()).fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static String difference(Map<String, String> a, Map<String, String> b) {
        List<String> diff = new ArrayList<>();
        for (String k : new java.util.TreeSet<>(a.keySet())) {
            if (!a.get(k).equals(b.get(k))) {
                diff.add(k + ": " + a.get(k) + " vs " + b.get(k));
            }
        }
        for (String k : b.keySet()) {
            if (!a.containsKey(k)) {
                diff.add(k + ": missing vs " + b.get(k));
            }
        }
        return diff.size() + " records differ, e.g. " + diff.subList(0, Math.min(5, diff.size()));
    }

    static void awaitOkCount(AdminLink link, int want, Duration timeout, String name) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = link.okCount();
            if (last == want) {
                return;
            }
            Thread.sleep(50);
        }
        fail(name + " did not show " + want + " nodes OK within " + timeout + " (last " + last + ")");
    }

    static String summary(List<Long> ms) {
        if (ms.isEmpty()) {
            return "-";
        }
        List<Long> sorted = ms.stream().sorted().toList();
        return "min " + sorted.getFirst() + " / median " + sorted.get(sorted.size() / 2) + " / max " + sorted.getLast();
    }
}
