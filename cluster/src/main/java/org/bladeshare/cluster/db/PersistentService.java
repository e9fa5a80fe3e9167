package org.bladeshare.cluster.db;

import org.bladeshare.cluster.ClusterException;
import org.bladeshare.cluster.transport.MemberLeftException;
import org.bladeshare.cluster.transport.Messenger;
import org.bladeshare.cluster.wire.WireMessage;
import org.bladeshare.cluster.wire.WireMessage.DbImage;
import org.bladeshare.cluster.wire.WireMessage.Done;
import org.bladeshare.cluster.wire.WireMessage.ImageFetch;
import org.bladeshare.cluster.wire.WireMessage.Change;
import org.bladeshare.cluster.wire.WireMessage.PersistApply;
import org.bladeshare.cluster.wire.WireMessage.PersistCommit;
import org.bladeshare.cluster.wire.WireMessage.PersistTxn;
import org.bladeshare.cluster.wire.WireMessage.PersistWrite;
import org.bladeshare.cluster.wire.WireMessage.SeqQuery;
import org.bladeshare.cluster.wire.WireMessage.SeqReport;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The persistent databases of one node, with CTDB's persistent-database semantics: a
 * transaction (its changes, and the hashes of the records it read) goes to the coordinator,
 * which checks its reads, gives it the database's next sequence number and commits it on
 * every member before answering; transactions queued meanwhile travel and commit together
 * (one {@link PersistCommit}, one local commit per member). After every membership change,
 * or a commit that did not reach every member, the coordinator brings every member's copy up
 * to the one with the highest sequence number before it commits again, so every copy holds
 * a transaction entirely or not at all.
 */
public final class PersistentService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final String SUFFIX = ".mapdb";
    /** Nothing of the transaction was applied: send it again. */
    private static final String RETRY = "retry: ";
    /** Some members may have committed it: send it again after recovery made every copy agree. */
    private static final String UNKNOWN = "retry (outcome unknown): ";
    /** A record the transaction read changed before it could commit: run its body again. */
    private static final String CONFLICT = "conflict: ";
    /** Bytes of transactions the coordinator puts into one commit. */
    private static final long MAX_BATCH_BYTES = 8L << 20;
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final Path tmpDir;
    private final Messenger messenger;
    private final Map<String, PersistentStore> stores = new ConcurrentHashMap<>();
    /** Serializes the coordinator's writes with its recoveries. */
    private final ReentrantLock coordination = new ReentrantLock();
    /** Transactions waiting for the coordinator's next commit, by database. */
    private final Map<String, Committer> committers = new ConcurrentHashMap<>();
    private final Object recoveryMonitor = new Object();
    private volatile View view;
    private View recoveredView;
    private volatile boolean closed;
    private volatile java.util.function.BooleanSupplier lockRefused = () -> false;
    private volatile Runnable recoveryNeeded = () -> { };

    private final LongAdder localCommits = new LongAdder();
    private final LongAdder localCommitNanos = new LongAdder();
    private final LongAdder rounds = new LongAdder();
    private final LongAdder roundNanos = new LongAdder();
    private final LongAdder roundTransactions = new LongAdder();

    /**
     * Where a commit's time goes, since this node started: its local commits (MapDB, forced to
     * disk) ordered by a coordinator, and, while it coordinates, its commit rounds (the
     * {@link PersistCommit} to every member until the last one answered) and the transactions
     * they carried.
     */
    public record CommitStats(long localCommits, long localCommitNanos, long rounds, long roundNanos,
                              long roundTransactions) {
    }

    public CommitStats commitStats() {
        return new CommitStats(localCommits.sum(), localCommitNanos.sum(), rounds.sum(), roundNanos.sum(),
                roundTransactions.sum());
    }

    /** A transaction at the coordinator and the reply its writer waits for. */
    private record Queued(PersistTxn txn, CompletableFuture<WireMessage> outcome) {
    }

    public PersistentService(Path dataDir, Messenger messenger) throws IOException {
        this.dir = dataDir.resolve("db");
        this.tmpDir = dataDir.resolve("tmp");
        this.messenger = messenger;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                name = name.substring(0, name.length() - SUFFIX.length());
                if (NAME.matcher(name).matches()) {
                    stores.put(name, PersistentStore.open(name, f, tmpDir));
                }
            }
        }
        messenger.handle(PersistWrite.class, false, (from, w) -> coordinateWrite(w));
        messenger.handle(PersistTxn.class, false, (from, t) -> coordinate(t));
        messenger.handle(PersistCommit.class, true, (from, c) -> {
            long t0 = System.nanoTime();
            store(c.db()).applyAll(c.seq(), c.changes());
            localCommits.increment();
            localCommitNanos.add(System.nanoTime() - t0);
            return Done.OK;
        });
        messenger.handle(PersistApply.class, true, (from, a) -> {
            store(a.db()).apply(a.seq(), a.key(), a.value());
            return Done.OK;
        });
        messenger.handle(SeqQuery.class, true, (from, q) -> new SeqReport(seqs()));
        messenger.handle(ImageFetch.class, true, (from, f) -> image(f.db()));
        messenger.handle(DbImage.class, true, (from, img) -> {
            store(img.db()).install(img.seq(), img.records());
            return Done.OK;
        });
    }

    /** The handle of a database, creating its local file on first use. */
    public PersistentDb attach(String name) {
        PersistentStore store = store(name);
        return new Handle(store);
    }

    /** Names of every persistent database this node holds. */
    public List<String> names() {
        return stores.keySet().stream().sorted().toList();
    }

    public Map<String, Long> seqs() {
        Map<String, Long> seqs = new TreeMap<>();
        stores.forEach((n, s) -> seqs.put(n, s.seq()));
        return seqs;
    }

    private PersistentStore store(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must be 1-100 of [A-Za-z0-9_.-], got: " + name);
        }
        return stores.computeIfAbsent(name, n -> {
            try {
                return PersistentStore.open(n, dir.resolve(n + SUFFIX), tmpDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private DbImage image(String db) {
        PersistentStore s = store(db);
        synchronized (s) {
            return new DbImage(db, s.seq(), s.snapshot());
        }
    }

    // ---- membership and recovery ----

    /** Tells writes to fail at once while the coordinator is refused the recovery lock. */
    public void lockRefusedBy(java.util.function.BooleanSupplier refused) {
        this.lockRefused = refused;
    }

    /** Called when a member's copy may have fallen behind outside a view change (a failed apply). */
    public void recoveryNeededBy(Runnable trigger) {
        this.recoveryNeeded = trigger;
    }

    public void viewChanged(View v) {
        view = v;
    }

    /** Whether this coordinator has finished recovery for the current view. */
    public boolean recovered() {
        synchronized (recoveryMonitor) {
            return recoveredView != null && recoveredView == view;
        }
    }

    /**
     * Coordinator only, holding the recovery lock: brings every member's copy of every
     * persistent database up to the highest sequence number, then accepts writes for view v.
     */
    public void recover(View v) throws IOException, TimeoutException, InterruptedException {
        coordination.lock();
        try {
            runRecovery(v);
            synchronized (recoveryMonitor) {
                recoveredView = v;
                recoveryMonitor.notifyAll();
            }
        } finally {
            coordination.unlock();
        }
    }

    private void runRecovery(View v) throws IOException, TimeoutException, InterruptedException {
        Map<Address, Map<String, Long>> reports = new LinkedHashMap<>();
        for (var e : messenger.callAll(v.getMembers(), new SeqQuery(), STEP_TIMEOUT).entrySet()) {
            if (!(e.getValue() instanceof SeqReport r)) {
                throw new IOException(e.getKey() + " answered the sequence query with " + e.getValue());
            }
            reports.put(e.getKey(), r.seqs());
        }
        Address self = messenger.self();
        for (var t : PersistentRecoveryPlan.plan(reports, self)) {
            DbImage image;
            if (t.source().equals(self)) {
                image = image(t.db());
            } else if (messenger.call(t.source(), new ImageFetch(t.db()), STEP_TIMEOUT) instanceof DbImage img) {
                image = img;
            } else {
                throw new IOException(t.source() + " did not send database " + t.db());
            }
            requireAllDone(messenger.callAll(t.targets(), image, STEP_TIMEOUT), "install " + t.db());
            LOG.info("recovery: database {} at seq {} copied from {} to {}", t.db(), image.seq(), t.source(), t.targets());
        }
    }

    // ---- transactions ----

    /** Version-1 writers send single writes: a one-record transaction that read nothing. */
    private WireMessage coordinateWrite(PersistWrite w) throws Exception {
        return coordinate(new PersistTxn(w.db(), Map.of(), List.of(new Change(w.key(), w.value()))));
    }

    /**
     * Coordinator side of a transaction: queued with the others waiting for this database and
     * committed by the database's committer thread, as many queued transactions as fit into
     * one {@link PersistCommit} (a group commit: one round and one local commit per member for
     * all of them). The reply says whether this transaction committed, conflicted, or should
     * be sent again.
     */
    private WireMessage coordinate(PersistTxn t) throws Exception {
        store(t.db()); // a bad name fails here, before anything is queued
        Queued q = new Queued(t, new CompletableFuture<>());
        Committer committer = committers.computeIfAbsent(t.db(), Committer::new);
        committer.queue.add(q);
        committer.wake();
        try {
            return q.outcome().get(WRITE_TIMEOUT.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Done.failed(UNKNOWN + "no outcome from the committer in " + WRITE_TIMEOUT.toSeconds() + " s");
        }
    }

    /** The queue of one database's transactions at the coordinator and the thread that commits them. */
    private final class Committer {
        private final String db;
        private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
        private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

        Committer(String db) {
            this.db = db;
        }

        /** Starts the committer unless it runs already (it drains the queue before it stops). */
        void wake() {
            if (running.compareAndSet(false, true)) {
                Thread.ofVirtual().name("persistent-commit-" + db).start(this::drain);
            }
        }

        private void drain() {
            do {
                try {
                    while (!queue.isEmpty()) {
                        commitNext();
                    }
                } catch (InterruptedException e) {
                    refuseAll(RETRY + "the coordinator is closing");
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warn("committing to {} failed", db, e);
                    refuseAll(UNKNOWN + e);
                } finally {
                    running.set(false);
                }
                // a transaction queued after the last look but before running was cleared
            } while (!queue.isEmpty() && running.compareAndSet(false, true));
        }

        private void commitNext() throws InterruptedException {
            String refusal = waitUntilRecovered(System.nanoTime() + STEP_TIMEOUT.toNanos());
            if (refusal != null) {
                refuseAll(refusal);
                return;
            }
            coordination.lock();
            try {
                View v = view;
                synchronized (recoveryMonitor) {
                    if (recoveredView != v) {
                        return; // the view changed since: a member may not be recovered yet
                    }
                }
                commitQueued(db, queue, v);
            } finally {
                coordination.unlock();
            }
        }

        private void refuseAll(String why) {
            for (Queued x; (x = queue.poll()) != null; ) {
                x.outcome().complete(Done.failed(why));
            }
        }
    }

    /** Null once this coordinator has recovered the current view, else why the writer must not wait. */
    private String waitUntilRecovered(long deadline) throws InterruptedException {
        synchronized (recoveryMonitor) {
            while (true) {
                Address self = messenger.self();
                if (closed || self == null) {
                    return RETRY + "the coordinator is closing";
                }
                if (!self.equals(view.getCoord())) {
                    return RETRY + "not the coordinator";
                }
                if (recoveredView != null && recoveredView == view) {
                    return null;
                }
                if (lockRefused.getAsBoolean()) {
                    return "this side of the cluster does not hold the recovery lock";
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return RETRY + "recovery in progress";
                }
                recoveryMonitor.wait(Math.min(100, Math.max(1, left / 1_000_000)));
            }
        }
    }

    /**
     * Holding the coordination lock for view v: takes the queued transactions of db in order,
     * refuses those whose reads no longer hold (against the committed copy plus the
     * transactions before them in this batch), and commits the rest on every member as one
     * PersistCommit that advances the sequence number by one per transaction.
     */
    private void commitQueued(String db, Queue<Queued> queue, View v) {
        PersistentStore store = store(db);
        List<Queued> accepted = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        Map<String, byte[]> batchWrites = new HashMap<>();
        long bytes = 0;
        try {
            for (Queued x; (x = queue.peek()) != null; ) {
                long size = sizeOf(x.txn());
                if (!accepted.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                    break;
                }
                queue.poll();
                String conflict = conflict(x.txn(), store, batchWrites);
                if (conflict != null) {
                    x.outcome().complete(Done.failed(CONFLICT + conflict));
                    continue;
                }
                accepted.add(x);
                for (Change c : x.txn().changes()) {
                    changes.add(c);
                    batchWrites.put(c.key(), c.value());
                }
                bytes += size;
            }
            if (accepted.isEmpty()) {
                return;
            }
            long seq = store.seq() + accepted.size();
            // members joining from here on are not written to: their recovery copies this
            try {
                long t0 = System.nanoTime();
                requireAllDone(messenger.callAll(v.getMembers(), new PersistCommit(db, seq, changes), STEP_TIMEOUT),
                        "commit to " + db);
                rounds.increment();
                roundNanos.add(System.nanoTime() - t0);
                roundTransactions.add(accepted.size());
            } catch (IOException | TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // Some members may hold seq and others not: no commit until a recovery has
                // brought every copy to the highest sequence number again, all of the batch
                // or none of it. The writers send their transactions again.
                LOG.warn("transactions on {} up to seq {} not committed everywhere ({}): recovering", db, seq,
                        e.getMessage());
                synchronized (recoveryMonitor) {
                    if (recoveredView == v) {
                        recoveredView = null;
                    }
                }
                recoveryNeeded.run();
                accepted.forEach(a -> a.outcome().complete(Done.failed(UNKNOWN + "a member did not commit: "
                        + e.getMessage())));
                return;
            }
            accepted.forEach(a -> a.outcome().complete(Done.OK));
        } finally {
            // never leave a writer waiting for an outcome nobody will give (an unexpected failure)
            accepted.forEach(a -> a.outcome().complete(Done.failed(UNKNOWN + "the commit was interrupted")));
        }
    }

    /** The first read of t that no longer holds, or null. */
    private static String conflict(PersistTxn t, PersistentStore store, Map<String, byte[]> batchWrites) {
        for (var r : t.reads().entrySet()) {
            String key = r.getKey();
            byte[] now = batchWrites.containsKey(key) ? batchWrites.get(key) : store.get(key).orElse(null);
            if (PersistentStore.hashOrZero(key, now) != r.getValue()) {
                return key + " changed since it was read";
            }
        }
        return null;
    }

    private static long sizeOf(PersistTxn t) {
        long n = 0;
        for (Change c : t.changes()) {
            n += c.key().length() + (c.value() == null ? 0 : c.value().length) + 16;
        }
        return n;
    }

    private static void requireAllDone(Map<Address, WireMessage> replies, String what) throws IOException {
        for (var e : replies.entrySet()) {
            if (!(e.getValue() instanceof Done d) || !d.ok()) {
                throw new IOException(what + " failed on " + e.getKey() + ": " + e.getValue());
            }
        }
    }

    /** Writer side of {@link PersistentDb#transaction}: runs the body, commits, runs it again on a conflict. */
    <T> T transaction(PersistentStore store, Function<Transaction, T> body) {
        if (body == null) {
            throw new IllegalArgumentException("transaction body must not be null");
        }
        String last = "";
        for (int attempt = 1; attempt <= PersistentLimits.MAX_ATTEMPTS; attempt++) {
            long seqBefore = store.seq();
            TransactionBuffer tx = new TransactionBuffer(store);
            T result;
            try {
                result = body.apply(tx);
            } finally {
                tx.close();
            }
            List<Change> changes = tx.changes();
            if (changes.isEmpty()) {
                if (store.seq() == seqBefore) {
                    return result; // read only, and every read saw the same committed state
                }
                last = "a commit arrived while it read";
                continue;
            }
            String conflict = commit(new PersistTxn(store.name(), tx.reads(), changes));
            if (conflict == null) {
                return result;
            }
            last = conflict;
        }
        throw new ClusterException("transaction on " + store.name() + " not committed: other writers changed what it read "
                + PersistentLimits.MAX_ATTEMPTS + " times (last: " + last + ")");
    }

    /**
     * Sends the transaction to the coordinator until it is committed (null) or refused for a
     * conflict (the reason); sent again across coordinator changes and recoveries.
     */
    private String commit(PersistTxn txn) {
        String db = txn.db();
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        String last = "no coordinator";
        boolean mayHaveCommitted = false;
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            if (closed) {
                throw new ClusterException("transaction on " + db + " abandoned: this node is closed"
                        + (mayHaveCommitted ? " (it may have committed)" : ""));
            }
            View v = view;
            if (v != null) {
                try {
                    WireMessage reply = v.getCoord().equals(messenger.self())
                            ? coordinateHere(txn)
                            : messenger.call(v.getCoord(), txn, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    if (reply instanceof Done d && d.ok()) {
                        return null;
                    }
                    last = reply instanceof Done d ? d.error() : String.valueOf(reply);
                    if (last.startsWith(CONFLICT)) {
                        if (mayHaveCommitted) {
                            // its own earlier attempt may be what changed the records it read
                            throw new ClusterException("transaction on " + db + ": outcome unknown, it was committed"
                                    + " completely or not at all (" + last + ")");
                        }
                        return last;
                    }
                    if (last.startsWith(UNKNOWN)) {
                        mayHaveCommitted = true;
                    } else if (!last.startsWith(RETRY)) {
                        throw new ClusterException("transaction on " + db + " failed: " + last);
                    }
                } catch (MemberLeftException e) {
                    last = e.getMessage();
                    mayHaveCommitted = true; // the coordinator may have committed it before it left
                } catch (TimeoutException e) {
                    throw new ClusterException("transaction on " + db + " not committed in " + WRITE_TIMEOUT.toSeconds()
                            + " s (outcome unknown: all of it or none)", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterException("interrupted while committing to " + db
                            + " (outcome unknown: all of it or none)", e);
                } catch (IOException e) {
                    last = e.getMessage();
                    mayHaveCommitted = true;
                }
            }
            sleep(Math.min(50, 1L << Math.min(attempt, 6))); // a new view or recovery is on its way
        }
        throw new ClusterException("transaction on " + db + " not committed: " + last
                + (mayHaveCommitted ? " (outcome unknown: all of it or none)" : ""));
    }

    /** The writer is the coordinator: no message to itself. */
    private WireMessage coordinateHere(PersistTxn txn) throws InterruptedException {
        try {
            return coordinate(txn);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return Done.failed(String.valueOf(e.getMessage()));
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails writes in progress and to come: the node is leaving. */
    public void beginClose() {
        closed = true;
    }

    @Override
    public void close() {
        closed = true;
        stores.values().forEach(PersistentStore::close);
    }

    /** The {@link PersistentDb} other modules hold. */
    private final class Handle implements PersistentDb {
        private final PersistentStore store;

        Handle(PersistentStore store) {
            this.store = store;
        }

        @Override
        public String name() {
            return store.name();
        }

        @Override
        public Optional<byte[]> get(String key) {
            PersistentLimits.requireKey(key);
            return store.get(key);
        }

        @Override
        public void put(String key, byte[] value) {
            PersistentLimits.requireKey(key);
            PersistentLimits.requireValue(key, value);
            transaction(tx -> {
                tx.put(key, value);
                return null;
            });
        }

        @Override
        public void delete(String key) {
            PersistentLimits.requireKey(key);
            transaction(tx -> {
                tx.delete(key);
                return null;
            });
        }

        @Override
        public <T> T transaction(Function<Transaction, T> body) {
            return PersistentService.this.transaction(store, body);
        }

        @Override
        public SortedMap<String, byte[]> snapshot() {
            return store.snapshot();
        }

        @Override
        public AutoCloseable watch(BiConsumer<String, byte[]> listener) {
            return store.watch(listener);
        }

    }
}
