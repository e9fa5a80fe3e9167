package org.bladeshare.cluster.recovery;

import org.bladeshare.cluster.db.PersistentService;
import org.bladeshare.cluster.membership.ViewSnapshot;
import org.bladeshare.cluster.transport.Messenger;
import org.bladeshare.cluster.wire.WireMessage;
import org.bladeshare.cluster.wire.WireMessage.Freeze;
import org.bladeshare.cluster.wire.WireMessage.Header;
import org.bladeshare.cluster.wire.WireMessage.HeaderDump;
import org.bladeshare.cluster.wire.WireMessage.Keep;
import org.bladeshare.cluster.wire.WireMessage.Thaw;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Recovery, run by the coordinator after every membership or node-flag change (CTDB's
 * recovery master): take the recovery lock (or freeze this side and wait: split-brain
 * guard), bring the persistent databases to the highest sequence number, then freeze every
 * member's volatile databases, rebuild each record from the highest RSN, reassign LMASTERs
 * over the active nodes, and thaw in a new generation.
 */
public final class RecoveryMaster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryMaster.class);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    static final long LOCK_RETRY_MS = 500;

    /** A recovery step failed because of one member. */
    static final class MemberFailed extends IOException {
        final int pnn;

        MemberFailed(int pnn, String message) {
            super(message);
            this.pnn = pnn;
        }
    }

    private final Map<Integer, Integer> failures = new HashMap<>();
    private final Duration banPeriod;
    private final Messenger messenger;
    private final Supplier<ViewSnapshot> view;
    private final Supplier<Set<Integer>> inactive;
    private final PersistentService persistent;
    private final RecoveryLock lock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile boolean closed;
    private volatile RecoveryStats last;
    private volatile boolean lockRefused;

    public RecoveryMaster(Messenger messenger, Supplier<ViewSnapshot> view, Supplier<Set<Integer>> inactive,
                          PersistentService persistent, RecoveryLock lock, Duration banPeriod) {
        this.banPeriod = banPeriod;
        this.messenger = messenger;
        this.view = view;
        this.inactive = inactive;
        this.persistent = persistent;
        this.lock = lock;
    }

    /** Asks for a recovery; several requests while one is queued make one run. */
    public void trigger() {
        if (!closed && queued.compareAndSet(false, true)) {
            try {
                runner.execute(this::run);
            } catch (RejectedExecutionException e) {
                queued.set(false);
            }
        }
    }

    public RecoveryStats last() {
        return last;
    }

    /** Whether this coordinator's last attempt to take the recovery lock failed. */
    public boolean lockRefused() {
        return lockRefused;
    }

    public boolean holdsLock() {
        return lock.held();
    }

    private void run() {
        queued.set(false);
        ViewSnapshot v = view.get();
        if (closed || v == null) {
            return;
        }
        if (!v.selfIsCoordinator()) {
            lockRefused = false;
            lock.release();
            return;
        }
        if (!lock.tryAcquire()) {
            if (!lockRefused) {
                lockRefused = true;
                LOG.warn("coordinator cannot take the recovery lock: this side stays frozen until it can");
            }
            freezeAll(v);
            retryLater(LOCK_RETRY_MS);
            return;
        }
        lockRefused = false;
        try {
            long t0 = System.nanoTime();
            persistent.recover(v.view());
            RecoveryStats stats = recoverVolatile(v, t0);
            last = stats;
            failures.clear();
            LOG.info("recovery generation {} done in {} ms: {} volatile records over {} active nodes",
                    stats.generation(), stats.took().toMillis(), stats.volatileRecords(), stats.activeNodes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (MemberFailed e) {
            if (!closed) {
                LOG.warn("recovery failed because of node {}, retrying: {}", e.pnn, e.getMessage());
                blame(v, e.pnn, e.getMessage());
                retryLater(200);
            }
        } catch (Exception e) {
            if (!closed) {
                LOG.warn("recovery failed, retrying: {}", e.toString());
                retryLater(200);
            }
        }
        if (view.get() != v) {
            trigger();
        }
    }

    /** CTDB bans a node that keeps making recovery fail, so the others can recover without it. */
    private void blame(ViewSnapshot v, int pnn, String why) {
        int count = failures.merge(pnn, 1, Integer::sum);
        if (count < org.bladeshare.cluster.ClusterTunables.RECOVERY_FAILURES_BEFORE_BAN) {
            return;
        }
        failures.remove(pnn);
        v.address(pnn).ifPresent(a -> {
            LOG.warn("banning node {} for {} s: {} recoveries in a row failed because of it",
                    pnn, banPeriod.toSeconds(), count);
            try {
                messenger.send(a, new WireMessage.BanRequest(pnn, banPeriod.toMillis(), why));
            } catch (IOException e) {
                LOG.debug("ban request to {} not sent: {}", pnn, e.getMessage());
            }
        });
    }

    private RecoveryStats recoverVolatile(ViewSnapshot v, long t0)
            throws IOException, java.util.concurrent.TimeoutException, InterruptedException {
        Set<Integer> off = inactive.get();
        List<Integer> active = v.memberPnns().stream().filter(p -> !off.contains(p)).sorted().toList();
        Map<Integer, Map<String, List<Header>>> dumps = new HashMap<>();
        long generation = 0;
        Map<Address, Integer> pnnOf = new HashMap<>();
        v.addresses().forEach((pnn, a) -> pnnOf.put(a, pnn));
        // only active nodes are frozen and asked: stopped or banned ones just drop everything at the thaw
        List<Address> activeAddresses = active.stream().map(p -> v.addresses().get(p)).toList();
        for (var e : blaming(pnnOf, () -> messenger.callAll(activeAddresses, new Freeze(false),
                STEP_TIMEOUT)).entrySet()) {
            if (!(e.getValue() instanceof HeaderDump d)) {
                throw new MemberFailed(pnnOf.get(e.getKey()), "it did not freeze: " + e.getValue());
            }
            dumps.put(pnnOf.get(e.getKey()), d.headers());
            generation = Math.max(generation, d.generation());
        }
        long newGeneration = generation + 1;
        Map<Integer, Map<String, List<Keep>>> plan = VolatileRecoveryPlanner.plan(dumps, active);
        Map<Address, WireMessage> thaws = new LinkedHashMap<>();
        int records = 0;
        for (var e : v.addresses().entrySet()) {
            Map<String, List<Keep>> keep = plan.getOrDefault(e.getKey(), Map.of());
            for (var list : keep.values()) {
                records += (int) list.stream().filter(k -> k.dmaster() == e.getKey()).count();
            }
            thaws.put(e.getValue(), new Thaw(newGeneration, active, keep));
        }
        for (var e : blaming(pnnOf, () -> messenger.callEach(thaws, STEP_TIMEOUT)).entrySet()) {
            if (!(e.getValue() instanceof WireMessage.Done d) || !d.ok()) {
                throw new MemberFailed(pnnOf.get(e.getKey()), "it did not thaw: " + e.getValue());
            }
        }
        return new RecoveryStats(newGeneration, records, active.size(),
                Duration.ofNanos(System.nanoTime() - t0), Instant.now());
    }

    private interface Step {
        Map<Address, WireMessage> run() throws IOException, java.util.concurrent.TimeoutException,
                InterruptedException;
    }

    /** Runs a step, naming the member that did not answer if it times out. */
    private static Map<Address, WireMessage> blaming(Map<Address, Integer> pnnOf, Step step)
            throws IOException, java.util.concurrent.TimeoutException, InterruptedException {
        try {
            return step.run();
        } catch (org.bladeshare.cluster.transport.NoReplyException e) {
            Integer pnn = pnnOf.get(e.node());
            if (pnn == null) {
                throw e;
            }
            throw new MemberFailed(pnn, e.getMessage());
        }
    }

    private void freezeAll(ViewSnapshot v) {
        try {
            messenger.callAll(v.addresses().values(), new Freeze(true), STEP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("freeze without the recovery lock: {}", e.toString());
        }
    }

    private void retryLater(long ms) {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                return;
            }
            trigger();
        });
    }

    @Override
    public void close() {
        closed = true;
        runner.shutdownNow();
        lock.release();
    }
}
