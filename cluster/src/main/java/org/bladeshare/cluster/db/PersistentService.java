package org.bladeshare.cluster.db;

import org.bladeshare.cluster.ClusterException;
import org.bladeshare.cluster.transport.MemberLeftException;
import org.bladeshare.cluster.transport.Messenger;
import org.bladeshare.cluster.wire.WireMessage;
import org.bladeshare.cluster.wire.WireMessage.DbImage;
import org.bladeshare.cluster.wire.WireMessage.Done;
import org.bladeshare.cluster.wire.WireMessage.ImageFetch;
import org.bladeshare.cluster.wire.WireMessage.PersistApply;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The persistent databases of one node, with CTDB's persistent-database semantics: a write
 * goes to the coordinator, which gives it the database's next sequence number and commits it
 * on every member before answering; after every membership change the coordinator brings
 * every member's copy up to the one with the highest sequence number before it accepts
 * writes again.
 */
public final class PersistentService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final String SUFFIX = ".mapdb";
    private static final String RETRY = "retry: ";
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final Path tmpDir;
    private final Messenger messenger;
    private final Map<String, PersistentStore> stores = new ConcurrentHashMap<>();
    /** Serializes the coordinator's writes with its recoveries. */
    private final ReentrantLock coordination = new ReentrantLock();
    private final Object recoveryMonitor = new Object();
    private volatile View view;
    private View recoveredView;
    private volatile boolean closed;
    private volatile java.util.function.BooleanSupplier lockRefused = () -> false;
    private volatile Runnable recoveryNeeded = () -> { };

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

    // ---- writes ----

    /** Coordinator side of a write: next sequence number, committed on every member. */
    private WireMessage coordinateWrite(PersistWrite w) throws Exception {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (true) {
            if (!messenger.self().equals(view.getCoord())) {
                return Done.failed(RETRY + "not the coordinator");
            }
            synchronized (recoveryMonitor) {
                while (recoveredView == null || recoveredView != view) {
                    if (lockRefused.getAsBoolean()) {
                        return Done.failed("this side of the cluster does not hold the recovery lock");
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Done.failed(RETRY + "recovery in progress");
                    }
                    recoveryMonitor.wait(Math.min(100, Math.max(1, left / 1_000_000)));
                }
            }
            coordination.lock();
            try {
                View v = view;
                synchronized (recoveryMonitor) {
                    if (recoveredView != v) {
                        continue; // the view changed since: a member may not be recovered yet
                    }
                }
                long seq = store(w.db()).seq() + 1;
                // members joining from here on are not written to: their recovery copies this
                try {
                    requireAllDone(messenger.callAll(v.getMembers(), new PersistApply(w.db(), seq, w.key(), w.value()),
                            STEP_TIMEOUT), "apply to " + w.db());
                } catch (IOException | TimeoutException e) {
                    // Some members may hold seq and others not: no write until a recovery has
                    // brought every copy to the highest sequence number again. The writer
                    // retries: writing the same value twice is harmless.
                    LOG.warn("write {} seq {} not committed everywhere ({}): recovering", w.db(), seq, e.getMessage());
                    synchronized (recoveryMonitor) {
                        if (recoveredView == v) {
                            recoveredView = null;
                        }
                    }
                    recoveryNeeded.run();
                    return Done.failed(RETRY + "a member did not commit: " + e.getMessage());
                }
                return Done.OK;
            } finally {
                coordination.unlock();
            }
        }
    }

    private static void requireAllDone(Map<Address, WireMessage> replies, String what) throws IOException {
        for (var e : replies.entrySet()) {
            if (!(e.getValue() instanceof Done d) || !d.ok()) {
                throw new IOException(what + " failed on " + e.getKey() + ": " + e.getValue());
            }
        }
    }

    /** Client side of a write: forwarded to the coordinator, retried across a coordinator change. */
    void write(String db, String key, byte[] value) {
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        String last = "no coordinator";
        while (System.nanoTime() < deadline) {
            if (closed) {
                throw new ClusterException("write to " + db + " abandoned: this node is closed");
            }
            View v = view;
            if (v != null) {
                try {
                    WireMessage reply = messenger.call(v.getCoord(), new PersistWrite(db, key, value),
                            Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    if (reply instanceof Done d && d.ok()) {
                        return;
                    }
                    last = reply instanceof Done d ? d.error() : String.valueOf(reply);
                    if (!last.startsWith(RETRY)) {
                        throw new ClusterException("write to " + db + " failed: " + last);
                    }
                } catch (MemberLeftException e) {
                    last = e.getMessage();
                } catch (TimeoutException e) {
                    throw new ClusterException("write to " + db + " not committed in " + WRITE_TIMEOUT.toSeconds() + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterException("interrupted while writing to " + db, e);
                } catch (IOException e) {
                    last = e.getMessage();
                }
            }
            sleep(50);
        }
        throw new ClusterException("write to " + db + " not committed: " + last);
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
            return store.get(requireKey(key));
        }

        @Override
        public void put(String key, byte[] value) {
            if (value == null) {
                throw new IllegalArgumentException("value must not be null (use delete)");
            }
            write(store.name(), requireKey(key), value);
        }

        @Override
        public void delete(String key) {
            write(store.name(), requireKey(key), null);
        }

        @Override
        public SortedMap<String, byte[]> snapshot() {
            return store.snapshot();
        }

        @Override
        public AutoCloseable watch(BiConsumer<String, byte[]> listener) {
            return store.watch(listener);
        }

        private static String requireKey(String key) {
            if (key == null) {
                throw new IllegalArgumentException("key must not be null");
            }
            return key;
        }
    }
}
