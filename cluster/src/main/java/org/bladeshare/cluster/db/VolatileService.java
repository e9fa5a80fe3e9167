package org.bladeshare.cluster.db;

import org.bladeshare.cluster.ClusterException;
import org.bladeshare.cluster.membership.ViewSnapshot;
import org.bladeshare.cluster.transport.Messenger;
import org.bladeshare.cluster.wire.WireMessage;
import org.bladeshare.cluster.wire.WireMessage.DbImage;
import org.bladeshare.cluster.wire.WireMessage.Freeze;
import org.bladeshare.cluster.wire.WireMessage.Header;
import org.bladeshare.cluster.wire.WireMessage.HeaderDump;
import org.bladeshare.cluster.wire.WireMessage.Keep;
import org.bladeshare.cluster.wire.WireMessage.MigrateForward;
import org.bladeshare.cluster.wire.WireMessage.MigrateReply;
import org.bladeshare.cluster.wire.WireMessage.MigrateRequest;
import org.bladeshare.cluster.wire.WireMessage.Thaw;
import org.bladeshare.cluster.wire.WireMessage.TraverseRequest;
import org.jgroups.Address;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The volatile databases of one node and CTDB's record migration between nodes:
 * <ol>
 * <li>a record whose DMASTER is this node is locked locally, with no message;</li>
 * <li>otherwise the requester asks the key's LMASTER ({@link MigrateRequest}); the LMASTER,
 * which always knows the DMASTER, creates the record if nobody has it, or forwards
 * ({@link MigrateForward}) to the DMASTER, which waits for its local lock, ships the record
 * with RSN+1 and DMASTER = requester, and keeps a stale copy; the LMASTER records the new
 * DMASTER and answers the requester.</li>
 * </ol>
 * Every migration message carries the recovery generation; a node that is frozen, or in
 * another generation, answers "retry" and the requester tries again after recovery.
 */
public final class VolatileService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HOP_TIMEOUT = Duration.ofSeconds(3);
    private static final long DMASTER_LOCK_WAIT_MS = 2000;

    private final int self;
    private final Messenger messenger;
    private final Supplier<ViewSnapshot> view;
    private final Map<String, VolatileStore> stores = new ConcurrentHashMap<>();
    /** Read: any record change in the current generation. Write: freeze and thaw. */
    private final ReentrantReadWriteLock generationLock = new ReentrantReadWriteLock();
    private final Object thawed = new Object();
    private volatile long generation;
    private volatile boolean frozen = true;
    private volatile boolean fenced;
    private volatile boolean closed;
    private volatile boolean failFreezes;
    private volatile List<Integer> active = List.of();

    public VolatileService(int self, Messenger messenger, Supplier<ViewSnapshot> view) {
        this.self = self;
        this.messenger = messenger;
        this.view = view;
        messenger.handle(MigrateRequest.class, false,
                (from, m) -> asLmaster(m.generation(), m.db(), m.key(), m.requester()));
        messenger.handle(MigrateForward.class, false,
                (from, m) -> asDmaster(m.generation(), m.db(), m.key(), m.requester()));
        messenger.handle(Freeze.class, true, (from, f) -> freeze(f.fenced()));
        messenger.handle(Thaw.class, true, (from, t) -> {
            thaw(t);
            return null;
        });
        messenger.handle(TraverseRequest.class, false, (from, t) -> localImage(t.db()));
    }

    public VolatileDb attach(String name) {
        return new Handle(store(name));
    }

    public List<String> names() {
        return stores.keySet().stream().sorted().toList();
    }

    /** The local copy of a database, for tests and diagnostics ({@code bladectl db dump}). */
    public VolatileStore store(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must be 1-100 of [A-Za-z0-9_.-], got: " + name);
        }
        return stores.computeIfAbsent(name, VolatileStore::new);
    }

    public long generation() {
        return generation;
    }

    public boolean frozen() {
        return frozen;
    }

    public List<Integer> active() {
        return active;
    }

    // ---- fetch_locked ----

    LockedRecord fetchLocked(VolatileStore s, String key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
        ReentrantLock lock = s.recordLock(key);
        try {
            if (!lock.tryLock(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ClusterException("record " + key + " of " + s.name() + " stayed locked on this node");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while locking " + key, e);
        }
        boolean handedOut = false;
        try {
            String last = "";
            while (true) {
                awaitThawed(deadline);
                long gen;
                List<Integer> act;
                generationLock.readLock().lock();
                try {
                    if (frozen) {
                        continue;
                    }
                    gen = generation;
                    act = active;
                    Record r = s.get(key);
                    if (r != null && r.dmaster() == self) {
                        handedOut = true; // steady state: the record is here, no message at all
                        return new Locked(s, key, lock);
                    }
                } finally {
                    generationLock.readLock().unlock();
                }
                if (!act.contains(self)) {
                    throw new ClusterException("this node is not active (stopped or banned): no record access");
                }
                int lmaster = Lmaster.of(key, act);
                MigrateReply reply;
                try {
                    reply = lmaster == self
                            ? asLmaster(gen, s.name(), key, self)
                            : call(lmaster, new MigrateRequest(gen, s.name(), key, self));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterException("interrupted during a migration", e);
                }
                if (reply.ok()) {
                    generationLock.readLock().lock();
                    try {
                        if (!frozen && generation == gen) {
                            s.put(key, new Record(reply.rsn(), self, reply.data()));
                            handedOut = true;
                            return new Locked(s, key, lock);
                        }
                    } finally {
                        generationLock.readLock().unlock();
                    }
                } else {
                    last = reply.reason();
                }
                if (closed) {
                    throw new ClusterException("this node is closed");
                }
                if (System.nanoTime() > deadline) {
                    throw new ClusterException("record " + key + " of " + s.name() + " did not migrate here in "
                            + FETCH_TIMEOUT.toSeconds() + " s: " + last);
                }
                pause();
            }
        } finally {
            if (!handedOut) {
                lock.unlock();
            }
        }
    }

    private MigrateReply call(int pnn, WireMessage request) {
        Optional<Address> to = view.get().address(pnn);
        if (to.isEmpty()) {
            return MigrateReply.retry("node " + pnn + " is not a member");
        }
        try {
            WireMessage reply = messenger.call(to.get(), request, HOP_TIMEOUT);
            return reply instanceof MigrateReply m ? m : MigrateReply.retry("node " + pnn + " answered " + reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted during a migration", e);
        } catch (Exception e) {
            return MigrateReply.retry("node " + pnn + ": " + e.getMessage());
        }
    }

    /** The LMASTER's part: create the record, or fetch it from its DMASTER for the requester. */
    private MigrateReply asLmaster(long gen, String db, String key, int requester) throws InterruptedException {
        if (frozen || gen != generation) {
            return MigrateReply.retry("LMASTER " + self + " is frozen or in another generation");
        }
        VolatileStore s = store(db);
        ReentrantLock lm = s.lmasterLock(key);
        if (!lm.tryLock(HOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            return MigrateReply.retry("LMASTER busy");
        }
        try {
            Record r = s.get(key);
            if (r == null || r.dmaster() == requester) {
                // nobody holds it (or only the requester's lost copy did): grant it from here
                Record granted = new Record(r == null ? 1 : r.rsn() + 1, requester, r == null ? null : r.data());
                return updateIfCurrent(s, key, granted, gen)
                        ? granted(granted) : MigrateReply.retry("recovery started");
            }
            if (r.dmaster() == self) {
                return asDmaster(gen, db, key, requester);
            }
            MigrateReply reply = call(r.dmaster(), new MigrateForward(gen, db, key, requester));
            if (reply.ok() && !updateIfCurrent(s, key, new Record(reply.rsn(), requester, reply.data()), gen)) {
                return MigrateReply.retry("recovery started");
            }
            return reply;
        } finally {
            lm.unlock();
        }
    }

    /** The DMASTER's part: wait for the local lock, ship the record with RSN+1. */
    private MigrateReply asDmaster(long gen, String db, String key, int requester) throws InterruptedException {
        VolatileStore s = store(db);
        Record r = s.get(key);
        if (r == null || r.dmaster() != self) {
            return MigrateReply.retry("node " + self + " is not the DMASTER");
        }
        ReentrantLock lock = s.recordLock(key);
        if (!lock.tryLock(DMASTER_LOCK_WAIT_MS, TimeUnit.MILLISECONDS)) {
            return MigrateReply.retry("record locked on the DMASTER");
        }
        try {
            generationLock.readLock().lock();
            try {
                Record now = s.get(key);
                if (frozen || gen != generation || now == null || now.dmaster() != self) {
                    return MigrateReply.retry("DMASTER changed or recovery started");
                }
                Record shipped = new Record(now.rsn() + 1, requester, now.data());
                s.put(key, shipped); // keep a stale copy: recovery may need it if the hand-over is cut
                return granted(shipped);
            } finally {
                generationLock.readLock().unlock();
            }
        } finally {
            lock.unlock();
        }
    }

    private static MigrateReply granted(Record r) {
        return new MigrateReply(true, "", r.rsn(), r.dmaster(), r.data());
    }

    private boolean updateIfCurrent(VolatileStore s, String key, Record r, long gen) {
        generationLock.readLock().lock();
        try {
            if (frozen || gen != generation) {
                return false;
            }
            Record old = s.get(key);
            if (old == null || old.rsn() <= r.rsn()) {
                s.put(key, r);
            }
            return true;
        } finally {
            generationLock.readLock().unlock();
        }
    }

    private void awaitThawed(long deadline) {
        synchronized (thawed) {
            while (frozen || generation == 0 || closed) {
                if (closed) {
                    throw new ClusterException("this node is closed");
                }
                if (fenced) {
                    throw new ClusterException("this side of the cluster does not hold the recovery lock: not serving");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ClusterException("volatile databases are frozen (recovery has not completed)");
                }
                try {
                    thawed.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterException("interrupted while waiting for recovery", e);
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted", e);
        }
    }

    // ---- recovery participant ----

    /** Stops every migration and reports this node's record headers. */
    /** Failure injection: answer freezes with an error (see ClusterNode#failRecoveryForTest). */
    public void failFreezes(boolean fail) {
        failFreezes = fail;
    }

    public HeaderDump freeze(boolean withoutRecoveryLock) {
        if (failFreezes) {
            throw new IllegalStateException("injected recovery failure");
        }
        generationLock.writeLock().lock();
        try {
            frozen = true;
            fenced = withoutRecoveryLock;
        } finally {
            generationLock.writeLock().unlock();
        }
        synchronized (thawed) {
            thawed.notifyAll(); // waiters on a fenced side fail now
        }
        Map<String, List<Header>> dump = new HashMap<>();
        stores.forEach((name, s) -> {
            List<Header> headers = new ArrayList<>(s.records().size());
            s.records().forEach((k, r) -> headers.add(new Header(k, r.rsn(), r.dmaster(), r.data() != null)));
            dump.put(name, headers);
        });
        return new HeaderDump(generation, dump);
    }

    /** Keeps what the recovery plan says, drops the rest, enters the new generation and thaws. */
    public void thaw(Thaw t) {
        generationLock.writeLock().lock();
        try {
            for (String db : t.keep().keySet()) {
                store(db);
            }
            stores.forEach((name, s) -> {
                List<Keep> keep = t.keep().getOrDefault(name, List.of());
                Map<String, Keep> byKey = new HashMap<>(keep.size() * 2);
                keep.forEach(k -> byKey.put(k.key(), k));
                s.records().entrySet().removeIf(e -> !byKey.containsKey(e.getKey()));
                for (Keep k : keep) {
                    Record local = s.get(k.key());
                    byte[] data = local != null && (k.dmaster() == self || local.rsn() == k.rsn()) ? local.data() : null;
                    long rsn = local != null && k.dmaster() == self ? Math.max(local.rsn(), k.rsn()) : k.rsn();
                    s.put(k.key(), new Record(rsn, k.dmaster(), data));
                }
                s.pruneLocks();
            });
            active = t.active();
            generation = t.generation();
            frozen = false;
            fenced = false;
        } finally {
            generationLock.writeLock().unlock();
        }
        synchronized (thawed) {
            thawed.notifyAll();
        }
    }

    /** Fails every waiting and future record access: the node is leaving. */
    public void close() {
        closed = true;
        synchronized (thawed) {
            thawed.notifyAll();
        }
    }

    private DbImage localImage(String db) {
        SortedMap<String, byte[]> out = new TreeMap<>();
        store(db).records().forEach((k, r) -> {
            if (r.dmaster() == self && r.data() != null) {
                out.put(k, r.data().clone());
            }
        });
        return new DbImage(db, generation, out);
    }

    SortedMap<String, byte[]> traverse(String db) {
        SortedMap<String, byte[]> all = new TreeMap<>();
        ViewSnapshot v = view.get();
        try {
            for (WireMessage reply : messenger.callAll(v.addresses().values(), new TraverseRequest(db),
                    FETCH_TIMEOUT).values()) {
                if (reply instanceof DbImage img) {
                    all.putAll(img.records());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted during traverse", e);
        } catch (Exception e) {
            throw new ClusterException("traverse of " + db + " failed: " + e.getMessage(), e);
        }
        return all;
    }

    /** A record locked on this node. */
    private final class Locked implements LockedRecord {
        private final VolatileStore s;
        private final String key;
        private final ReentrantLock lock;
        private boolean open = true;

        Locked(VolatileStore s, String key, ReentrantLock lock) {
            this.s = s;
            this.key = key;
            this.lock = lock;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public Optional<byte[]> data() {
            requireOpen();
            Record r = s.get(key);
            return r == null || r.data() == null ? Optional.empty() : Optional.of(r.data().clone());
        }

        @Override
        public long rsn() {
            requireOpen();
            Record r = s.get(key);
            return r == null ? 0 : r.rsn();
        }

        @Override
        public void store(byte[] value) {
            write(value == null ? null : value.clone());
        }

        @Override
        public void delete() {
            write(null);
        }

        private void write(byte[] value) {
            requireOpen();
            awaitThawed(System.nanoTime() + FETCH_TIMEOUT.toNanos());
            generationLock.readLock().lock();
            try {
                Record r = s.get(key);
                if (r == null || r.dmaster() != self) {
                    throw new ClusterException("record " + key + " was moved away by recovery while locked");
                }
                s.put(key, new Record(r.rsn() + 1, self, value));
            } finally {
                generationLock.readLock().unlock();
            }
            s.fire(key, value);
        }

        private void requireOpen() {
            if (!open) {
                throw new IllegalStateException("record " + key + " is no longer locked");
            }
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                lock.unlock();
            }
        }
    }

    private final class Handle implements VolatileDb {
        private final VolatileStore s;

        Handle(VolatileStore s) {
            this.s = s;
        }

        @Override
        public String name() {
            return s.name();
        }

        @Override
        public LockedRecord fetchLocked(String key) {
            return VolatileService.this.fetchLocked(s, key);
        }

        @Override
        public SortedMap<String, byte[]> traverse() {
            return VolatileService.this.traverse(s.name());
        }

        @Override
        public AutoCloseable watch(BiConsumer<String, byte[]> listener) {
            return s.watch(listener);
        }
    }
}
