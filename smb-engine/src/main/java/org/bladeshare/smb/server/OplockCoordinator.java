package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.OplockBreakMessage;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.smb2.LeaseContext;
import org.bladeshare.smb.state.BusAddress;
import org.bladeshare.smb.state.BusMessage;
import org.bladeshare.smb.state.FileKey;
import org.bladeshare.smb.state.Lease;
import org.bladeshare.smb.state.LeaseAck;
import org.bladeshare.smb.state.LeaseBreak;
import org.bladeshare.smb.state.LeaseGrant;
import org.bladeshare.smb.state.LeaseKey;
import org.bladeshare.smb.state.LeaseRequest;
import org.bladeshare.smb.state.LeaseRules;
import org.bladeshare.smb.state.LeaseState;
import org.bladeshare.smb.state.OpenEntry;
import org.bladeshare.smb.state.OplockBreak;
import org.bladeshare.smb.state.OplockLevel;
import org.bladeshare.smb.state.OplockRules;
import org.bladeshare.smb.state.ShareAccess;
import org.bladeshare.smb.state.ShareModeRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.bladeshare.smb.vfs.FileStat;
import org.bladeshare.smb.vfs.SmbPath;
import org.bladeshare.smb.vfs.Vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Oplock breaks ([MS-SMB2] 3.3.4.6, 3.3.5.9, 3.3.5.22): starts the breaks a new open or a write needs
 * through the share-mode table, delivers the notification to the holder's connection (directly on
 * this node, over the {@link org.bladeshare.smb.state.MessageBus} on another), parks the CREATEs that
 * must wait for an acknowledgement (async, STATUS_PENDING interim) and retries them when the file's
 * record changes or the break times out (the Oplock Break Acknowledgment Timer, 3.3.2.1).
 */
final class OplockCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OplockCoordinator.class);
    /** Bus service for oplock break notices: payload = persistent open id (8) + new level (1). */
    static final String BREAK_SERVICE = "smb2.oplock-break";
    /** Bus service for lease break notices: payload = the 44-byte SMB2 lease break notification body. */
    static final String LEASE_BREAK_SERVICE = "smb2.lease-break";
    /** [MS-SMB2] 3.3.2.1: Windows waits 35 seconds for an acknowledgement. */
    static final long DEFAULT_BREAK_TIMEOUT_MS = Long.getLong("bladeshare.smb.oplockBreakTimeoutMs", 35_000);
    private static final long POLL_MS = 200;
    /** True while a parked CREATE runs again (Samba's first_open_attempt is false then). */
    private static final ThreadLocal<Boolean> RETRYING = ThreadLocal.withInitial(() -> false);
    /** The connection whose request this thread serves (CREATE, SET_INFO), if any. */
    private static final ThreadLocal<SmbConnection> SERVING = new ThreadLocal<>();

    /** Thrown by a CREATE that must wait for a break of {@code file}; the handler answers later. */
    static final class BreakPending extends RuntimeException {
        final transient FileKey file;

        BreakPending(FileKey file) {
            super("waiting for an oplock break", null, false, false);
            this.file = file;
        }
    }

    /** Re-runs a parked CREATE into {@code out} (header space already reserved). */
    @FunctionalInterface
    interface CreateRetry {
        void run(Request req, Create.Request r, ByteBuf out) throws IOException;
    }

    /** Re-runs a parked request, writing its response body into {@code out} (header space already reserved). */
    @FunctionalInterface
    interface Retry {
        void run(ByteBuf out) throws IOException;
    }

    private final ServerContext server;
    private final long breakTimeoutMs;
    private final Map<FileKey, List<Runnable>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final AutoCloseable subscription;
    private final AutoCloseable leaseSubscription;
    /** The lease each local open holds (persistent id -> key), for CLOSE and writes. */
    private final Map<Long, LeaseKey> leaseOfOpen = new ConcurrentHashMap<>();
    /** The v2 ParentLeaseKey each local open named (persistent id -> key): its changes spare that lease. */
    private final Map<Long, LeaseKey> parentOfOpen = new ConcurrentHashMap<>();
    /** Local opens that wrote: their close breaks the leases of their directory. */
    private final Set<Long> written = ConcurrentHashMap.newKeySet();
    /** Durable handles (issue 4 step 3). */
    final DurableOpens durable;

    OplockCoordinator(ServerContext server) {
        this(server, DEFAULT_BREAK_TIMEOUT_MS);
    }

    OplockCoordinator(ServerContext server, long breakTimeoutMs) {
        this.server = server;
        this.breakTimeoutMs = breakTimeoutMs;
        this.durable = new DurableOpens(server);
        this.subscription = server.state.bus().subscribe(BREAK_SERVICE, this::onBusBreak);
        this.leaseSubscription = server.state.bus().subscribe(LEASE_BREAK_SERVICE, this::onBusLeaseBreak);
        this.timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("smb-oplock-timer").factory());
        timer.scheduleWithFixedDelay(this::tick, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    // ---- CREATE ---------------------------------------------------------------------------

    /**
     * The lease a CREATE asks for ([MS-SMB2] 3.3.5.9.8, 3.3.5.9.11): RequestedOplockLevel LEASE with an
     * RqLs context on SMB 2.1 or later; null when none is asked for.
     */
    static LeaseContext leaseContextOf(SmbConnection conn, Create.Request r) {
        if (r.oplockLevel() != OplockLevel.LEASE || conn.dialect == null || conn.dialect.code() < 0x0210) {
            return null;
        }
        for (Create.Context c : r.contexts()) {
            if (c.name().equals(LeaseContext.NAME)) {
                LeaseContext lc = LeaseContext.decode(c.data());
                // a v2 context on SMB 2.1 is read as v1 ([MS-SMB2] 3.3.5.9.11 applies to 3.x only)
                return lc.version() == 2 && conn.dialect.code() < 0x0300
                    ? new LeaseContext(1, lc.leaseKey(), lc.state(), 0, null, 0) : lc;
            }
        }
        return null;
    }

    /** The v2 ParentLeaseKey a CREATE names ([MS-SMB2] 2.2.13.2.10, flag PARENT_LEASE_KEY_SET), or null. */
    static LeaseKey parentLeaseKeyFor(SmbConnection conn, Create.Request r) {
        LeaseContext lc = leaseContextOf(conn, r);
        if (lc == null || lc.version() != 2 || (lc.flags() & LeaseContext.FLAG_PARENT_LEASE_KEY_SET) == 0) {
            return null;
        }
        return new LeaseKey(conn.clientGuid == null ? new UUID(0, 0) : conn.clientGuid, uuid(lc.parentLeaseKey()));
    }

    /** The table key of the lease a CREATE asks for, or null. */
    static LeaseKey leaseKeyFor(SmbConnection conn, Create.Request r) {
        LeaseContext lc = leaseContextOf(conn, r);
        return lc == null ? null : new LeaseKey(conn.clientGuid == null ? new UUID(0, 0) : conn.clientGuid,
            uuid(lc.leaseKey()));
    }

    static UUID uuid(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new UUID(bb.getLong(), bb.getLong());
    }

    static byte[] bytes(UUID u) {
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    /** STATUS_INVALID_PARAMETER when {@code key} already covers a file other than {@code file} (null: a new file). */
    void checkLeaseKey(LeaseKey key, FileKey file) {
        if (key != null && server.state.leases().get(key).filter(l -> !l.file().equals(file)).isPresent()) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "lease key used for another file");
        }
    }

    /**
     * Before a new open of {@code file} is added: breaks the other opens' oplocks and leases as
     * [MS-FSA] 2.1.4.12 requires ({@link LeaseRules#forNewOpen}) and throws {@link BreakPending} while a
     * break still awaits its acknowledgement. A lease key already covering another file is refused.
     */
    void breakBeforeOpen(FileKey file, int access, int shareAccess, boolean overwrite, LeaseKey requester) {
        breakBeforeOpen(file, access, shareAccess, overwrite, false, requester);
    }

    /** As above; a delete-on-close open also takes handle caching from other leases, and waits for it. */
    void breakBeforeOpen(FileKey file, int access, int shareAccess, boolean overwrite, boolean deleteOnClose,
                         LeaseKey requester) {
        int alsoLost = deleteOnClose ? LeaseState.H : LeaseState.NONE;
        if (requester != null) {
            server.state.leases().get(requester).ifPresent(l -> {
                if (!l.file().equals(file)) {
                    throw new NtStatusException(NtStatus.INVALID_PARAMETER, "lease key used for another file");
                }
            });
        }
        ShareModeRecord rec = server.state.shareModes().get(file);
        if (rec.deletePending()) {
            return; // the open fails with STATUS_DELETE_PENDING and breaks nothing (smbtorture smb2.oplock.doc)
        }
        boolean violation = ShareAccess.check(rec.deletePending(), rec.opens(), access, shareAccess & ShareAccess.ALL)
            == NtStatus.SHARING_VIOLATION;
        Map<LeaseKey, Integer> states = new HashMap<>();
        Set<LeaseKey> breaking = new HashSet<>();
        for (OpenEntry o : rec.opens()) {
            if (o.oplockLevel() == OplockLevel.LEASE) {
                server.state.leases().get(o.leaseKey()).ifPresent(x -> {
                    states.put(x.key(), x.state());
                    if (x.isBreaking()) {
                        breaking.add(x.key());
                    }
                });
            }
        }
        // The open waits only while the caching it takes away includes write caching, or handle caching
        // on a sharing violation (as Samba does; smbtorture smb2.lease.breaking3/breaking4).
        int delayMask = violation ? LeaseState.H : LeaseState.W;
        boolean wait = false;
        long deadline = System.currentTimeMillis() + breakTimeoutMs;
        // an overwrite breaks caching even through a stat open (smbtorture smb2.oplock.exclusive5/batch13)
        int breakingAccess = overwrite ? access | AccessMask.FILE_WRITE_DATA : access;
        for (LeaseRules.BreakNeeded need : LeaseRules.forNewOpen(rec, states, breaking, requester,
            breakingAccess, violation, overwrite, alsoLost)) {
            switch (need) {
                case LeaseRules.OplockBreakNeeded ob when durable.isPreserved(ob.openId()) ->
                    durable.purge(ob.openId()); // a disconnected durable open cannot be told: it is closed
                case LeaseRules.LeaseBreakNeeded lb when heldOnlyByDisconnected(lb.key()) ->
                    server.state.leases().get(lb.key()).ifPresent(l -> l.holders().forEach(h -> durable.purge(h.openId())));
                case LeaseRules.OplockBreakNeeded ob when rec.open(ob.openId()).map(OpenEntry::isBreaking)
                    .orElse(false) -> wait |= delays(OplockLevel.asLeaseState(rec.open(ob.openId()).get().oplockLevel()),
                        OplockLevel.asLeaseState(ob.toLevel()), delayMask);
                case LeaseRules.OplockBreakNeeded ob -> {
                    Optional<OplockBreak> started = server.state.shareModes().startOplockBreak(file, ob.openId(),
                        ob.toLevel(), deadline);
                    if (started.isPresent()) {
                        deliver(started.get());
                        wait |= started.get().ackRequired() && delays(OplockLevel.asLeaseState(started.get().fromLevel()),
                            OplockLevel.asLeaseState(started.get().toLevel()), delayMask);
                    }
                }
                case LeaseRules.LeaseBreakNeeded lb -> {
                    // a break under way is narrowed (no new notice); the acknowledgement then breaks again
                    server.state.leases().startBreak(lb.key(), lb.toState(), deadline).ifPresent(this::deliver);
                    wait |= LeaseRules.openWaits(states.getOrDefault(lb.key(), LeaseState.NONE), lb.toState(),
                        breaking.contains(lb.key()), violation, !RETRYING.get(), alsoLost);
                }
                case LeaseRules.LeaseStillBreaking ignored -> wait = true;
            }
        }
        if (wait) {
            throw new BreakPending(file);
        }
    }

    private boolean heldOnlyByDisconnected(LeaseKey key) {
        return server.state.leases().get(key).map(l -> !l.holders().isEmpty()
            && l.holders().stream().allMatch(h -> durable.isPreserved(h.openId()))).orElse(false);
    }

    private static boolean delays(int fromState, int toState, int delayMask) {
        return (fromState & ~toState & delayMask) != 0;
    }

    /** What CREATE answers about caching: the oplock level and the RqLs / DHnQ / DH2Q response contexts. */
    record Caching(int oplockLevel, List<Create.Context> answers) {
        Caching(int oplockLevel, Create.Context leaseAnswer) {
            this(oplockLevel, leaseAnswer == null ? List.of() : List.of(leaseAnswer));
        }

        Caching with(List<Create.Context> more) {
            List<Create.Context> all = new ArrayList<>(answers);
            all.addAll(more);
            return new Caching(oplockLevel, all);
        }

        List<Create.Context> plus(List<Create.Context> others) {
            List<Create.Context> all = new ArrayList<>(others);
            all.addAll(answers);
            return all;
        }
    }

    /** A durable reconnect re-attached an open that holds {@code key} (or none). */
    void adoptLease(long persistentId, LeaseKey key) {
        if (key != null) {
            leaseOfOpen.put(persistentId, key);
        }
    }

    /**
     * Settles the caching of a newly added open ([MS-SMB2] 3.3.5.9 oplock, 3.3.5.9.8/11 lease). On a
     * refused lease (key covering another file) the open is closed and the CREATE fails.
     */
    Caching grant(Request req, Open open, Create.Request r) {
        LeaseContext lc = leaseContextOf(req.connection, r);
        // [MS-SMB2] 3.3.5.9.11: directories are leased on SMB 3.x through v2 contexts only, without W
        boolean directoryLease = open.directory && lc != null && lc.version() == 2 && req.connection.dialect.isSmb3();
        if (open.directory && !directoryLease) {
            lc = null;
        }
        LeaseKey parent = parentLeaseKeyFor(req.connection, r);
        if (parent != null) {
            parentOfOpen.put(open.fileId.persistent(), parent);
        }
        if (lc == null || open.fileKey == null) {
            int requested = r.oplockLevel() == OplockLevel.LEASE ? OplockLevel.NONE : r.oplockLevel();
            return new Caching(grant(open, requested), List.of());
        }
        LeaseKey key = leaseKeyFor(req.connection, r);
        boolean hasLocks = !server.state.locks().get(open.fileKey).locks().isEmpty();
        ShareModeRecord rec = server.state.shareModes().get(open.fileKey);
        int allowed = LeaseRules.grantableForOpen(rec, key, LeaseState.R | LeaseState.H | LeaseState.W, hasLocks);
        int requested = lc.state() & (directoryLease ? LeaseState.R | LeaseState.H
            : LeaseState.R | LeaseState.H | LeaseState.W);
        LeaseGrant g = server.state.leases().requestLease(new LeaseRequest(key, open.fileKey, open.path, open.owner,
            requested, allowed, lc.version(), lc.epoch()));
        if (!g.granted()) {
            Handlers.closeOpen(req.connection, open);
            throw new NtStatusException(g.status(), "lease refused");
        }
        leaseOfOpen.put(open.fileId.persistent(), key);
        Lease l = g.lease();
        // the answer takes the lease's version, whatever form this request used (smb2.lease.v2_epoch2/3)
        int version = l.version();
        int flags = (l.isBreaking() ? LeaseContext.FLAG_BREAK_IN_PROGRESS : 0)
            | (version == 2 && lc.version() == 2 ? lc.flags() & LeaseContext.FLAG_PARENT_LEASE_KEY_SET : 0);
        LeaseContext answer = new LeaseContext(version, lc.leaseKey(), l.state(), flags,
            version == 2 ? (lc.parentLeaseKey() == null ? new byte[16] : lc.parentLeaseKey()) : null,
            version == 2 ? l.epoch() : 0);
        return new Caching(OplockLevel.LEASE, new Create.Context(LeaseContext.NAME, answer.encode()));
    }

    /** Settles the oplock of a newly added open ([MS-SMB2] 3.3.5.9 step "oplock"); returns the granted level. */
    int grant(Open open, int requested) {
        if (open.fileKey == null || open.directory || requested == OplockLevel.NONE
            || requested == OplockLevel.LEASE || !OplockLevel.isValid(requested)) {
            return OplockLevel.NONE;
        }
        boolean hasLocks = !server.state.locks().get(open.fileKey).locks().isEmpty();
        boolean otherHandleLease = false;
        for (OpenEntry o : server.state.shareModes().get(open.fileKey).opens()) {
            if (o.oplockLevel() == OplockLevel.LEASE) {
                otherHandleLease |= server.state.leases().get(o.leaseKey())
                    .map(l -> (l.state() & LeaseState.H) != 0).orElse(false);
            }
        }
        return server.state.shareModes().grantOplock(open.fileKey, open.fileId.persistent(), requested,
            OplockRules.ceiling(otherHandleLease, hasLocks));
    }

    /** Answers the CREATE later: interim STATUS_PENDING now, the final response once no break blocks it. */
    void parkCreate(Request req, Create.Request r, FileKey file, CreateRetry retry) {
        parkRequest(req, file, out -> retry.run(req, r, out));
    }

    /**
     * Answers a request later (a CREATE, or a rename waiting for lease breaks): interim STATUS_PENDING
     * now, the final response once no break blocks it ([MS-SMB2] 3.3.4.2).
     */
    void parkRequest(Request req, FileKey file, Retry retry) {
        Runnable[] self = new Runnable[1];
        AsyncOp op = req.goAsync(() -> unpark(file, self[0]));
        self[0] = () -> req.connection.serial.execute(() -> {
            if (op.isDone()) {
                return;
            }
            ByteBuf out = Unpooled.buffer(256);
            try {
                out.writeZero(Smb2Header.SIZE);
                RETRYING.set(true);
                try (Serving ignored = serving(req.connection)) {
                    retry.run(out);
                }
                byte[] body = ByteBufUtil.getBytes(out, Smb2Header.SIZE, out.writerIndex() - Smb2Header.SIZE);
                op.complete(NtStatus.SUCCESS, b -> b.writeBytes(body));
            } catch (BreakPending again) {
                park(again.file, self[0]);
            } catch (NtStatusException e) {
                op.complete(e.status(), b -> { });
            } catch (IOException e) {
                op.complete(IoStatus.of(e), b -> { });
            } catch (RuntimeException e) {
                LOG.warn("parked CREATE failed", e);
                op.complete(NtStatus.INTERNAL_ERROR, b -> { });
            } finally {
                RETRYING.set(false);
                out.release();
            }
        });
        park(file, self[0]);
    }

    private void park(FileKey file, Runnable retry) {
        // one atomic step: adding to a list that fileChanged has just taken out would lose the request
        waiters.compute(file, (k, list) -> {
            List<Runnable> parked = list == null ? new CopyOnWriteArrayList<>() : list;
            parked.add(retry);
            return parked;
        });
    }

    private void unpark(FileKey file, Runnable retry) {
        waiters.computeIfPresent(file, (k, list) -> {
            list.remove(retry);
            return list.isEmpty() ? null : list;
        });
    }

    /** The file's record changed here (acknowledgement, close): retry the CREATEs parked on it. */
    void fileChanged(FileKey file) {
        if (file == null) {
            return;
        }
        List<Runnable> parked = waiters.remove(file);
        if (parked != null) {
            parked.forEach(Runnable::run);
        }
    }

    // ---- DIRECTORY LEASES -----------------------------------------------------------------

    /**
     * The entries of the directory holding {@code path} changed (created, deleted, renamed, or a file
     * written and closed, its attributes or size set): every lease on that directory is broken to none
     * ([MS-SMB2] 3.3.4.7, directory leases), except the one the changing open named as its parent lease
     * key ({@code exempt}), whose client knows. The change does not wait for the acknowledgement.
     */
    void breakParentLeases(Vfs vfs, String path, LeaseKey exempt) {
        if (path == null || path.isEmpty()) {
            return;
        }
        Optional<FileStat> dir;
        try {
            dir = vfs.stat(SmbPath.parent(path));
        } catch (IOException e) {
            return;
        }
        if (dir.isEmpty() || !dir.get().directory()) {
            return;
        }
        FileKey dirKey = new FileKey(dir.get().device(), dir.get().fileId());
        long deadline = System.currentTimeMillis() + breakTimeoutMs;
        Set<LeaseKey> seen = new HashSet<>();
        for (OpenEntry o : server.state.shareModes().get(dirKey).opens()) {
            if (o.oplockLevel() == OplockLevel.LEASE && !o.leaseKey().equals(exempt) && seen.add(o.leaseKey())) {
                server.state.leases().startBreak(o.leaseKey(), LeaseState.NONE, deadline).ifPresent(this::deliver);
            }
        }
    }

    /** An open changed what a listing of its directory shows (attributes, size, times, its name). */
    void entryChanged(Open open, String path) {
        breakParentLeases(open.tree.vfs(), path, parentOfOpen.get(open.fileId.persistent()));
    }

    // ---- RENAME ---------------------------------------------------------------------------

    /**
     * Before a rename through an open that holds a lease (as Windows and Samba do; smbtorture
     * smb2.lease.v2_rename, rename_wait): every other lease on the file loses handle caching, and the
     * rename waits ({@link BreakPending}) while any of them still holds it.
     */
    void breakHandleLeasesForRename(Open renamer) {
        LeaseKey mine = leaseOfOpen.get(renamer.fileId.persistent());
        if (mine == null || renamer.fileKey == null) {
            return;
        }
        long deadline = System.currentTimeMillis() + breakTimeoutMs;
        boolean wait = false;
        Set<LeaseKey> seen = new HashSet<>();
        for (OpenEntry o : server.state.shareModes().get(renamer.fileKey).opens()) {
            if (o.oplockLevel() != OplockLevel.LEASE || o.leaseKey().equals(mine) || !seen.add(o.leaseKey())
                || heldOnlyByDisconnected(o.leaseKey())) {
                continue;
            }
            Optional<Lease> lease = server.state.leases().get(o.leaseKey());
            if (lease.isEmpty() || (lease.get().state() & LeaseState.H) == 0) {
                continue;
            }
            wait = true;
            server.state.leases().startBreak(o.leaseKey(), lease.get().state() & ~LeaseState.H, deadline)
                .ifPresent(this::deliver);
        }
        if (wait) {
            throw new BreakPending(renamer.fileKey);
        }
    }

    // ---- WRITE ----------------------------------------------------------------------------

    /**
     * A write breaks every level II oplock on the file to none, the writer's own included, as Windows
     * and Samba do (smbtorture smb2.oplock.batch1/batch6), with no acknowledgement ([MS-FSA] 2.1.4.12).
     */
    void breakLevelTwoForWrite(Open writer) {
        if (writer.fileKey == null) {
            return;
        }
        LeaseKey mine = leaseOfOpen.get(writer.fileId.persistent());
        written.add(writer.fileId.persistent()); // its close breaks the directory's leases
        long deadline = System.currentTimeMillis() + breakTimeoutMs;
        List<LeaseKey> done = new ArrayList<>();
        for (OpenEntry o : server.state.shareModes().get(writer.fileKey).opens()) {
            if (o.oplockLevel() == OplockLevel.LEVEL_II) {
                server.state.shareModes().startOplockBreak(writer.fileKey, o.openId(), OplockRules.breakToForWrite(),
                    deadline).ifPresent(this::deliver);
            } else if (o.oplockLevel() == OplockLevel.LEASE && !o.leaseKey().equals(mine)
                && !done.contains(o.leaseKey())) {
                done.add(o.leaseKey());
                server.state.leases().get(o.leaseKey()).ifPresent(l -> {
                    // losing read caching loses everything (H alone is no grantable state; smb2.lease.complex1)
                    int to = LeaseState.grantable(LeaseRules.breakToForWrite(l.state()));
                    if (to != l.state()) {
                        server.state.leases().startBreak(l.key(), to, deadline).ifPresent(this::deliver);
                    }
                });
            }
        }
    }

    // ---- OPLOCK_BREAK acknowledgement -------------------------------------------------------

    /** [MS-SMB2] 3.3.5.22.1: records the acknowledgement and lets the waiting opens go on. */
    int acknowledge(Open open, int level) {
        int status = server.state.shareModes().acknowledgeOplockBreak(open.fileKey, open.fileId.persistent(), level);
        fileChanged(open.fileKey);
        return status;
    }

    /** [MS-SMB2] 3.3.5.22.2: a lease break acknowledgement from {@code conn}'s client. */
    int acknowledgeLease(SmbConnection conn, byte[] leaseKey, int state) {
        LeaseKey key = new LeaseKey(conn.clientGuid == null ? new UUID(0, 0) : conn.clientGuid, uuid(leaseKey));
        Optional<Lease> before = server.state.leases().get(key);
        LeaseAck ack = server.state.leases().acknowledge(key, state, System.currentTimeMillis() + breakTimeoutMs);
        ack.followUp().ifPresent(this::deliver);
        before.ifPresent(l -> fileChanged(l.file()));
        return ack.status();
    }

    /** CLOSE hook: the open leaves its lease (removed with its last open) and parked CREATEs retry. */
    void openClosed(Open open) {
        LeaseKey key = leaseOfOpen.remove(open.fileId.persistent());
        if (key != null) {
            server.state.leases().releaseHolder(key, open.fileId.persistent());
        }
        boolean changed = written.remove(open.fileId.persistent()) | open.deleteOnClose;
        LeaseKey parent = parentOfOpen.remove(open.fileId.persistent());
        if (changed) {
            breakParentLeases(open.tree.vfs(), open.path, parent); // a written file's times, or a deleted entry
        }
        durable.closed(open);
        fileChanged(open.fileKey);
    }

    // ---- delivery -------------------------------------------------------------------------

    private void deliver(OplockBreak b) {
        if (b.owner().node() == server.state.node()) {
            sendNotification(b.owner().connectionId(), b.owner().openId(), b.toLevel());
            return;
        }
        byte[] payload = ByteBuffer.allocate(9).putLong(b.owner().openId()).put((byte) b.toLevel()).array();
        if (!server.state.bus().send(b.owner().address(), BREAK_SERVICE, payload)) {
            LOG.debug("oplock holder's node {} is gone; the break times out", b.owner().node());
        }
    }

    private void deliver(LeaseBreak b) {
        BusAddress to = b.address();
        if (to == null) {
            return;
        }
        int version = server.state.leases().get(b.key()).map(Lease::version).orElse(1);
        ByteBuf body = Unpooled.buffer(OplockBreakMessage.LEASE_NOTIFICATION_SIZE);
        new OplockBreakMessage.LeaseNotification(version == 2 ? b.newEpoch() : 0,
            b.ackRequired() ? OplockBreakMessage.LEASE_FLAG_ACK_REQUIRED : 0, bytes(b.key().leaseKey()),
            b.fromState(), b.toState()).encode(body);
        byte[] payload = ByteBufUtil.getBytes(body);
        body.release();
        if (to.node() == server.state.node()) {
            SmbConnection conn = leaseBreakConnection(to.connectionId());
            if (conn == null) {
                // the holder's connection is gone: another channel of a holding open's session will do
                conn = server.state.leases().get(b.key()).stream().flatMap(l -> l.holders().stream())
                    .map(h -> liveChannel(to.connectionId(), h.openId())).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
            }
            if (conn != null) {
                sendUnsolicited(conn, payload);
            }
        } else if (!server.state.bus().send(to, LEASE_BREAK_SERVICE, payload)) {
            LOG.debug("lease holder's node {} is gone; the break times out", to.node());
        }
    }

    private void onBusLeaseBreak(BusMessage m) {
        byte[] p = m.payload();
        if (p.length != OplockBreakMessage.LEASE_NOTIFICATION_SIZE) {
            LOG.warn("ignoring a malformed lease break notice from node {}", m.fromNode());
            return;
        }
        sendLeaseNotification(m.connectionId(), p);
    }

    /** Sends SMB2 Lease Break Notification ([MS-SMB2] 2.2.23.2, 3.3.4.7). */
    private void sendLeaseNotification(long connectionId, byte[] body) {
        SmbConnection conn = leaseBreakConnection(connectionId);
        if (conn == null) {
            return;
        }
        sendUnsolicited(conn, body);
    }

    /**
     * A lease belongs to the client, not to one connection ([MS-SMB2] 3.3.4.7: any connection of the
     * lease's client will do): the break goes on the client's oldest live connection on this node, as
     * Samba sends it (smbtorture smb2.lease.v2_complex1 expects it there).
     */
    private SmbConnection leaseBreakConnection(long connectionId) {
        SmbConnection holder = server.connections.get(connectionId);
        if (holder == null || holder.clientGuid == null) {
            return holder;
        }
        SmbConnection oldest = holder;
        for (SmbConnection c : server.connections.values()) {
            if (c.id < oldest.id && holder.clientGuid.equals(c.clientGuid) && c.channel != null
                && c.channel.isActive() && c.dialect != null && c.dialect.code() >= 0x0210) {
                oldest = c;
            }
        }
        return oldest;
    }

    private static void sendUnsolicited(SmbConnection conn, byte[] body) {
        Runnable send = () -> {
            if (conn.channel == null || !conn.channel.isActive()) {
                return;
            }
            ByteBuf out = conn.channel.alloc().buffer(Smb2Header.SIZE + body.length);
            new Smb2Header(0, NtStatus.SUCCESS, Smb2Command.OPLOCK_BREAK, 0, Smb2Header.FLAG_SERVER_TO_REDIR, 0,
                OplockBreakMessage.NOTIFICATION_MESSAGE_ID, 0, 0, 0, null).encode(out);
            out.writeBytes(body);
            conn.dispatcher.sendOne(conn, out, null, null);
        };
        if (SERVING.get() == conn) {
            // caused by the request this thread serves: out now, before the requests queued behind it
            // are answered (smbtorture smb2.lease.rename_wait reads the break with its next reply)
            send.run();
        } else {
            conn.serial.execute(send); // after whatever this connection is answering now
        }
    }

    /** Marks, until closed, the connection whose request this thread serves. */
    static Serving serving(SmbConnection conn) {
        SmbConnection before = SERVING.get();
        SERVING.set(conn);
        return () -> SERVING.set(before);
    }

    /** The scope of {@link #serving}. */
    interface Serving extends AutoCloseable {
        @Override
        void close();
    }

    private void onBusBreak(BusMessage m) {
        byte[] p = m.payload();
        if (p.length != 9) {
            LOG.warn("ignoring a malformed oplock break notice from node {}", m.fromNode());
            return;
        }
        ByteBuffer bb = ByteBuffer.wrap(p);
        sendNotification(m.connectionId(), bb.getLong(), bb.get() & 0xFF);
    }

    /** Sends SMB2 OPLOCK_BREAK Notification ([MS-SMB2] 2.2.23.1, 3.3.4.6) on the holder's connection. */
    private void sendNotification(long connectionId, long openId, int level) {
        SmbConnection conn = liveChannel(connectionId, openId);
        Open open = null;
        for (Open o : conn == null ? List.<Open>of() : conn.opens.values()) {
            if (o.fileId.persistent() == openId) {
                open = o;
            }
        }
        if (open == null) {
            return;
        }
        ByteBuf body = Unpooled.buffer(OplockBreakMessage.OPLOCK_SIZE);
        new OplockBreakMessage.Oplock(level, open.fileId).encode(body);
        sendUnsolicited(conn, ByteBufUtil.getBytes(body));
        body.release();
    }

    /**
     * A channel of a session that lives on was lost: a break sent on it may never have been read
     * (the client closed it with the notice unread, or it was sent just as the connection went), so
     * every break still in flight for the session's opens goes again on a live channel ([MS-SMB2]
     * 3.3.4.6 and 3.3.4.7: any channel of the session, any connection of the lease's client will
     * do) instead of the opener waiting out the 35 s break timeout. Run from the lost connection's
     * cleanup, after it left {@code server.connections} and the session's channel list.
     */
    void channelLost(SmbConnection lost, Session session) {
        java.util.Set<LeaseKey> leases = new java.util.HashSet<>();
        for (Open open : List.copyOf(session.opens.values())) {
            if (open.fileKey == null) {
                continue;
            }
            long openId = open.fileId.persistent();
            OpenEntry entry = server.state.shareModes().get(open.fileKey).open(openId).orElse(null);
            if (entry == null) {
                continue;
            }
            if (entry.breakingTo() != OpenEntry.NOT_BREAKING) {
                sendNotification(lost.id, openId, entry.breakingTo());
            }
            if (entry.leaseKey() != null && leases.add(entry.leaseKey())) {
                server.state.leases().get(entry.leaseKey())
                    .filter(l -> l.breakingTo() != Lease.NOT_BREAKING && leaseNoticeWentTo(lost, l.breakAddress()))
                    .ifPresent(l -> deliver(new LeaseBreak(l.key(), l.file(), l.state(), l.breakingTo(), l.epoch(),
                        true, l.breakDeadline(), l.breakAddress())));
            }
        }
    }

    /** Whether {@link #leaseBreakConnection} chose {@code lost} for a notice to {@code to}, when it was alive. */
    private boolean leaseNoticeWentTo(SmbConnection lost, BusAddress to) {
        if (to == null || to.node() != server.state.node()) {
            return false; // another node's connection was told; this one's loss does not concern it
        }
        if (to.connectionId() == lost.id) {
            return true;
        }
        SmbConnection now = leaseBreakConnection(to.connectionId());
        return now != null && lost.clientGuid != null && lost.clientGuid.equals(now.clientGuid) && lost.id < now.id;
    }

    /**
     * The connection to tell about a break of open {@code openId}: the one that opened it while it
     * lives, else another channel of the open's session ([MS-SMB2] 3.3.4.6: "any channel in
     * Session.ChannelList"), so a multichannel client that lost one connection still hears the break
     * instead of the break timing out. Null when no live connection reaches the open.
     */
    private SmbConnection liveChannel(long connectionId, long openId) {
        SmbConnection conn = server.connections.get(connectionId);
        if (conn != null && conn.channel != null && conn.channel.isActive()) {
            return conn;
        }
        for (Session s : server.sessions.values()) {
            if (s.opens.values().stream().anyMatch(o -> o.fileId.persistent() == openId)) {
                for (SessionChannel c : s.channels.values()) {
                    if (c.connection.channel != null && c.connection.channel.isActive()) {
                        return c.connection;
                    }
                }
            }
        }
        return conn;
    }

    // ---- timer ----------------------------------------------------------------------------

    /** Expires unacknowledged breaks, and retries parked CREATEs whose file no longer has a break in flight. */
    private void tick() {
        try {
            long now = System.currentTimeMillis();
            for (OplockBreak expired : server.state.shareModes().expireOplockBreaks(now)) {
                fileChanged(expired.file());
            }
            for (LeaseBreak expired : server.state.leases().expireBreaks(now)) {
                fileChanged(expired.file());
            }
            durable.expire(now);
            durable.purgeBreaking();
            for (FileKey file : new ArrayList<>(waiters.keySet())) {
                // a change made through another node (its acknowledgement or close) shows up here
                if (server.state.shareModes().get(file).opens().stream().noneMatch(this::isBreaking)) {
                    fileChanged(file);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("oplock timer failed", e);
        }
    }

    private boolean isBreaking(OpenEntry o) {
        return o.isBreaking() || (o.oplockLevel() == OplockLevel.LEASE
            && server.state.leases().get(o.leaseKey()).map(Lease::isBreaking).orElse(false));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // a tick under way finishes before the state it reads (the cluster's databases) closes
            if (!timer.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("the oplock timer did not stop within 2 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            leaseSubscription.close();
        } catch (Exception e) {
            LOG.debug("bus unsubscribe failed: {}", e.toString());
        }
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("bus unsubscribe failed: {}", e.toString());
        }
    }
}
