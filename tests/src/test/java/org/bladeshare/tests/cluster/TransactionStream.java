package org.bladeshare.tests.cluster;

import org.bladeshare.appliance.admin.AdminClient.AdminException;
import org.bladeshare.appliance.admin.AdminClient.NodeUnreachableException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stream of persistent transactions: one writer thread per node, each committing through
 * its node, in turn, a single-record {@code db put} and a three-record {@code db ptrans}, every
 * key written once with a value nobody else writes. The ledger keeps what was attempted and
 * what was acknowledged, so a dump can be checked: every acknowledged transaction there with
 * its value, nothing that was never attempted, and every transaction's records all there or
 * none (a half-applied or corrupted transaction would show as one of these).
 */
final class TransactionStream implements AutoCloseable {
    private final String db;
    private final List<Writer> writers = new ArrayList<>();
    final Map<String, String> attempted = new ConcurrentHashMap<>();
    final Map<String, String> acked = new ConcurrentHashMap<>();
    /** The records of each multi-record transaction attempted, by the transaction's first key. */
    final Map<String, List<String>> groups = new ConcurrentHashMap<>();
    /** Transactions acknowledged (single-record and multi-record alike). */
    final AtomicLong ackedTransactions = new AtomicLong();
    /** Refused or not committed in time: not acknowledged, so it may be there or not. */
    final AtomicLong failed = new AtomicLong();
    /** Not even sent: the writer's node was down. */
    final AtomicLong unsent = new AtomicLong();
    private volatile boolean stopped;

    TransactionStream(String db, List<Path> dataDirs) {
        this.db = db;
        for (int i = 0; i < dataDirs.size(); i++) {
            writers.add(new Writer("w" + (i + 1), new AdminLink(dataDirs.get(i))));
        }
    }

    void start() {
        writers.forEach(w -> w.thread.start());
    }

    /** Runs the action with every writer idle between two transactions (bounded by the write timeout). */
    <T> T quiesced(java.util.concurrent.Callable<T> action) throws Exception {
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (Writer w : writers) {
                if (!w.busy.tryLock(30, TimeUnit.SECONDS)) {
                    fail("writer " + w.name + " stuck in one transaction for 30 s");
                }
                held.add(w.busy);
            }
            return action.call();
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    /**
     * Checks one node's dump against the ledger: every acknowledged transaction present with
     * its value; every record of the stream one that was attempted, with the attempted value.
     */
    void verify(String node, Map<String, String> dump) {
        List<String> lost = new ArrayList<>();
        acked.forEach((k, v) -> {
            if (!v.equals(dump.get(k))) {
                lost.add(k + "=" + v + " (found " + dump.get(k) + ")");
            }
        });
        assertTrue(lost.isEmpty(), node + " lost " + lost.size() + " acknowledged transactions, e.g. "
                + lost.subList(0, Math.min(5, lost.size())));
        dump.forEach((k, v) -> assertEquals(attempted.get(k), v, node + " holds a record nobody wrote: " + k));
        groups.forEach((first, keys) -> {
            long present = keys.stream().filter(dump::containsKey).count();
            assertTrue(present == 0 || present == keys.size(),
                    node + " holds " + present + " of the " + keys.size() + " records of one transaction: " + keys);
        });
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Writer w : writers) {
            w.thread.join(TimeUnit.SECONDS.toMillis(30));
            w.link.close();
        }
    }

    private final class Writer implements Runnable {
        final String name;
        final AdminLink link;
        final ReentrantLock busy = new ReentrantLock(true); // fair: the checker is not starved
        final Thread thread;
        long next;

        Writer(String name, AdminLink link) {
            this.name = name;
            this.link = link;
            this.thread = Thread.ofPlatform().name("writer-" + name).daemon().unstarted(this);
        }

        @Override
        public void run() {
            while (!stopped) {
                busy.lock();
                boolean unreachable = false;
                try {
                    String key = String.format("%s-%07d", name, next++);
                    String value = key + ":" + Long.toHexString(ThreadLocalRandom.current().nextLong());
                    Map<String, String> records = new java.util.TreeMap<>();
                    if (next % 2 == 0) {
                        records.put(key, value);
                    } else {
                        for (String part : List.of("a", "b", "c")) {
                            records.put(key + part, value + part);
                        }
                        groups.put(key, List.copyOf(records.keySet()));
                    }
                    attempted.putAll(records);
                    try {
                        if (records.size() == 1) {
                            link.put(db, key, value);
                        } else {
                            link.ptrans(db, records);
                        }
                        acked.putAll(records);
                        ackedTransactions.incrementAndGet();
                    } catch (AdminException e) {
                        failed.incrementAndGet();
                        unreachable = true; // refused (e.g. no recovery lock on this side): do not hammer it
                    } catch (NodeUnreachableException e) {
                        unsent.incrementAndGet();
                        unreachable = true;
                    }
                } finally {
                    busy.unlock();
                }
                if (unreachable) {
                    try {
                        Thread.sleep(100); // its node is down or refuses: try again a little later
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}
