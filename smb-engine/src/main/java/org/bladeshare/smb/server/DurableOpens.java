package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.DurableContext;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.LeaseContext;
import org.bladeshare.smb.state.DurableHandle;
import org.bladeshare.smb.state.DurableKey;
import org.bladeshare.smb.state.Lease;
import org.bladeshare.smb.state.LeaseKey;
import org.bladeshare.smb.state.LeaseState;
import org.bladeshare.smb.state.OpenEntry;
import org.bladeshare.smb.state.OpenOwner;
import org.bladeshare.smb.state.OplockLevel;
import org.bladeshare.smb.state.ReconnectRequest;
import org.bladeshare.smb.state.ReconnectResult;
import org.bladeshare.smb.state.ReplayCheck;
import org.bladeshare.smb.vfs.FileStat;
import org.bladeshare.smb.vfs.SmbPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Durable handles v1 and v2 ([MS-SMB2] 3.3.5.9.6, 3.3.5.9.7, 3.3.5.9.10, 3.3.5.9.12): grants DHnQ/DH2Q
 * when a batch oplock or a handle lease is held, keeps a durable open (its file, locks and share-mode
 * entry) for its timeout when the connection drops, and re-attaches it on a DHnC/DH2C reconnect
 * validated by the {@link org.bladeshare.smb.state.DurableHandleTable}.
 */
final class DurableOpens {
    private static final Logger LOG = LoggerFactory.getLogger(DurableOpens.class);
    /** The timeout when the client leaves the choice to the server, and the most we grant ([MS-SMB2] 3.3.5.9.10). */
    static final int DEFAULT_TIMEOUT_MS = 60_000;
    static final int MAX_TIMEOUT_MS = 300_000;
    /** How long a reconnect waits for the lost connection's cleanup to preserve its handle. */
    private static final java.time.Duration RECONNECT_WAIT = java.time.Duration.ofSeconds(2);

    /** An open kept after its connection dropped: the connection it belonged to and the open itself. */
    private record Preserved(SmbConnection connection, Open open) {
    }

    private final ServerContext server;
    /** Durable opens of this node by persistent id. */
    private final Map<Long, DurableKey> durableOf = new ConcurrentHashMap<>();
    private final Map<Long, Preserved> preserved = new ConcurrentHashMap<>();

    DurableOpens(ServerContext server) {
        this.server = server;
    }

    private static Create.Context find(Create.Request r, String name) {
        for (Create.Context c : r.contexts()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Whether the CREATE is a durable reconnect; STATUS_INVALID_PARAMETER for the combinations of
     * durable contexts [MS-SMB2] 3.3.5.9.10 and 3.3.5.9.12 forbid (a v2 context with any other).
     */
    static boolean isReconnect(Create.Request r) {
        boolean v1q = find(r, DurableContext.REQUEST_V1) != null;
        boolean v1c = find(r, DurableContext.RECONNECT_V1) != null;
        boolean v2q = find(r, DurableContext.REQUEST_V2) != null;
        boolean v2c = find(r, DurableContext.RECONNECT_V2) != null;
        if ((v2c && (v1q || v1c || v2q)) || (v2q && (v1q || v1c))) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "conflicting durable handle contexts");
        }
        return v1c || v2c;
    }

    // ---- CREATE: grant -----------------------------------------------------------------------

    /** DH2Q replay detection ([MS-SMB2] 3.3.5.9.10) before anything is opened. */
    void checkReplay(Request req, Create.Request r) {
        Create.Context v2 = find(r, DurableContext.REQUEST_V2);
        if (v2 == null) {
            return;
        }
        var q = DurableContext.RequestV2.decode(v2.data());
        ReplayCheck check = server.state.durableHandles().checkReplay(OplockCoordinator.uuid(q.createGuid()),
            clientGuid(req.connection), user(req), (req.header.flags() & org.bladeshare.smb.smb2.Smb2Header.FLAG_REPLAY) != 0);
        if (check.status() != NtStatus.SUCCESS) {
            throw new NtStatusException(check.status(), "durable v2 create GUID in use");
        }
        if (check.isReplay()) {
            // a replay of an open we still hold: Windows answers from it; we refuse rather than open twice
            throw new NtStatusException(org.bladeshare.smb.state.StateStatus.DUPLICATE_OBJECTID, "replayed create");
        }
    }

    /**
     * After the open is made and its caching settled: grants durability ([MS-SMB2] 3.3.5.9.6 v1,
     * 3.3.5.9.10 v2) when a batch oplock or a lease with handle caching is held, and returns the
     * response context to add (none when not granted).
     */
    List<Create.Context> grant(Request req, Open open, Create.Request r, int oplockLevel) {
        Create.Context v1 = find(r, DurableContext.REQUEST_V1);
        Create.Context v2 = find(r, DurableContext.REQUEST_V2);
        if ((v1 == null && v2 == null) || open.fileKey == null || open.directory) {
            return List.of();
        }
        LeaseKey lease = null;
        boolean handleCaching = oplockLevel == OplockLevel.BATCH;
        if (oplockLevel == OplockLevel.LEASE) {
            lease = OplockCoordinator.leaseKeyFor(req.connection, r);
            handleCaching = lease != null && server.state.leases().get(lease)
                .map(l -> (l.state() & LeaseState.H) != 0).orElse(false);
        }
        if (!handleCaching) {
            return List.of();
        }
        long pid = open.fileId.persistent();
        DurableKey key;
        int timeout;
        Create.Context answer;
        if (v2 != null) {
            var q = DurableContext.RequestV2.decode(v2.data());
            key = DurableKey.v2(pid, OplockCoordinator.uuid(q.createGuid()));
            long asked = Integer.toUnsignedLong(q.timeoutMillis()); // an unsigned 32-bit count of milliseconds
            timeout = asked == 0 ? DEFAULT_TIMEOUT_MS : (int) Math.min(asked, MAX_TIMEOUT_MS);
            answer = new Create.Context(DurableContext.REQUEST_V2, DurableContext.responseV2(timeout, 0));
        } else {
            key = DurableKey.v1(pid);
            timeout = DEFAULT_TIMEOUT_MS;
            answer = new Create.Context(DurableContext.REQUEST_V1, DurableContext.responseV1());
        }
        int access = open.grantedAccess;
        int share = server.state.shareModes().get(open.fileKey).open(pid).map(OpenEntry::shareAccess).orElse(0);
        int status = server.state.durableHandles().register(new DurableHandle(key, clientGuid(req.connection),
            user(req), open.fileKey, open.path, access, share, oplockLevel, lease, timeout, open.owner, 0));
        if (status != NtStatus.SUCCESS) {
            LOG.debug("durable handle for {} not granted: {}", open.path, NtStatus.name(status));
            return List.of();
        }
        durableOf.put(pid, key);
        return List.of(answer);
    }

    // ---- connection lost, CLOSE, expiry ------------------------------------------------------

    /** Connection-close hook: keeps a durable open for its timeout instead of closing it ([MS-SMB2] 3.3.7.1). */
    boolean preserveOnDisconnect(SmbConnection conn, Open open) {
        DurableKey key = durableOf.get(open.fileId.persistent());
        if (key == null || open.fileKey == null) {
            return false;
        }
        if (breakInProgress(open)) {
            return false; // nobody is left to acknowledge it: close now so the waiting open goes on
        }
        if (server.state.durableHandles().disconnect(key, System.currentTimeMillis()).isEmpty()) {
            durableOf.remove(open.fileId.persistent());
            return false;
        }
        conn.opens.remove(open.fileId.volatileId());
        preserved.put(open.fileId.persistent(), new Preserved(conn, open));
        if (breakInProgress(open)) {
            purge(open.fileId.persistent()); // a break started while we were preserving it
        }
        return true;
    }

    /**
     * Timer: closes the preserved opens whose caching another open is breaking. A break can start
     * between a connection's loss and its opens being preserved (the new open did not yet see them
     * as disconnected); nobody can acknowledge it, and the new open must not wait out the timeout
     * (smbtorture smb2.durable-open.lease, open2-lease).
     */
    void purgeBreaking() {
        for (Map.Entry<Long, Preserved> e : preserved.entrySet()) {
            if (breakInProgress(e.getValue().open())) {
                purge(e.getKey());
            }
        }
    }

    private boolean breakInProgress(Open open) {
        long pid = open.fileId.persistent();
        Optional<OpenEntry> e = server.state.shareModes().get(open.fileKey).open(pid);
        if (e.isEmpty()) {
            return false;
        }
        if (e.get().isBreaking()) {
            return true;
        }
        return e.get().leaseKey() != null
            && server.state.leases().get(e.get().leaseKey()).map(Lease::isBreaking).orElse(false);
    }

    /** CLOSE hook: a closed open is no longer durable. */
    void closed(Open open) {
        DurableKey key = durableOf.remove(open.fileId.persistent());
        if (key != null) {
            server.state.durableHandles().remove(key);
        }
    }

    /** Whether the open was granted a durable handle (and is not closed). */
    boolean isDurable(long persistentId) {
        return durableOf.containsKey(persistentId);
    }

    boolean isPreserved(long persistentId) {
        return preserved.containsKey(persistentId);
    }

    /** Closes a disconnected durable open now (its caching had to be broken, or it expired). */
    void purge(long persistentId) {
        Preserved p = preserved.remove(persistentId);
        if (p != null) {
            Handlers.closeOpen(p.connection(), p.open());
        }
    }

    /** Timer: closes the disconnected durable opens past their timeout. */
    void expire(long now) {
        for (DurableHandle h : server.state.durableHandles().expire(now)) {
            durableOf.remove(h.key().persistentId());
            purge(h.key().persistentId());
        }
    }

    // ---- CREATE: reconnect -------------------------------------------------------------------

    /** [MS-SMB2] 3.3.5.9.7 (DHnC) / 3.3.5.9.12 (DH2C): validates and re-attaches a preserved open. */
    void reconnect(Request req, Create.Request r, ByteBuf out) throws IOException {
        Create.Context c2 = find(r, DurableContext.RECONNECT_V2);
        var rc = c2 != null ? DurableContext.Reconnect.decodeV2(c2.data())
            : DurableContext.Reconnect.decodeV1(find(r, DurableContext.RECONNECT_V1).data());
        long pid = rc.fileId().persistent();
        // A handle is named by its persistent id: DH2C with a zero CreateGuid names a v1 handle
        // (smb2.durable-open.reopen2-lease) and DHnC may name a v2 one (smb2.durable-v2-open.reopen2b).
        UUID guid = rc.version() == 2 ? OplockCoordinator.uuid(rc.createGuid()) : null;
        DurableKey key = guid != null && !guid.equals(new UUID(0, 0)) ? DurableKey.v2(pid, guid) : DurableKey.v1(pid);
        DurableKey local = durableOf.get(pid);
        if (rc.version() == 1 && local != null) {
            key = local;
        }
        // a reconnect names its lease with an RqLs context whatever its RequestedOplockLevel
        LeaseContext asked = leaseContextAnyLevel(req.connection, r);
        LeaseKey lease = asked == null ? null : new LeaseKey(clientGuid(req.connection),
            OplockCoordinator.uuid(asked.leaseKey()));
        Optional<DurableHandle> known = server.state.durableHandles().get(key);
        OpenOwner holder = known.map(DurableHandle::owner).orElse(null);
        if (holder != null && holder.node() == server.state.node()) {
            // still attached to a connection of ours that may just have closed: let its cleanup
            // preserve the handle first (smbclient and Windows reconnect within milliseconds)
            server.awaitCleanupOf(holder.connectionId(), RECONNECT_WAIT);
            known = server.state.durableHandles().get(key);
        }
        if (known.isPresent() && known.get().leaseKey() != null && lease == null) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, "leased durable handle without its lease");
        }
        if (known.isPresent() && lease != null && lease.equals(known.get().leaseKey())
            && !known.get().path().equalsIgnoreCase(SmbPath.normalize(r.name()))) {
            // the right lease on the wrong name (smbtorture smb2.durable-v2-open.reopen2-lease)
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "leased durable reconnect names another file");
        }
        OpenOwner owner = new OpenOwner(server.state.node(), req.connection.id, req.session.id, pid);
        long now = System.currentTimeMillis();
        ReconnectResult result = server.state.durableHandles().reconnect(new ReconnectRequest(key,
            clientGuid(req.connection), user(req), lease, SmbPath.normalize(r.name()), owner, now));
        if (result.expired() != null) {
            durableOf.remove(pid);
            purge(pid);
        }
        if (!result.reconnected()) {
            LOG.debug("durable reconnect of {} refused: {} (handle {})", key, NtStatus.name(result.status()),
                known.map(k -> k.isConnected() ? "still attached to " + k.owner() : "disconnected").orElse("unknown"));
            throw new NtStatusException(result.status(), "durable reconnect refused");
        }
        Preserved p = preserved.remove(pid);
        if (p == null) {
            // the open was kept by another node (or a restarted one): we cannot take over its file here
            server.state.durableHandles().disconnect(key, now);
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, "durable open not on this node");
        }
        Open old = p.open();
        server.state.shareModes().reassignOpen(old.fileKey, pid, owner);
        server.state.locks().reassignOpen(old.fileKey, pid, owner);
        DurableHandle h = result.handle();
        if (h.leaseKey() != null) {
            server.state.leases().reassignHolder(h.leaseKey(), pid, owner);
        }
        long vid = req.connection.newVolatileId();
        FileId id = new FileId(pid, vid);
        Open open = new Open(id, req.session, req.tree, old.path, old.directory, old.channel, old.grantedAccess, null);
        open.fileKey = old.fileKey;
        open.owner = owner;
        open.deleteOnClose = old.deleteOnClose;
        open.position = old.position;
        req.connection.opens.put(vid, open);
        req.chain.fileId = id;
        durableOf.put(pid, key);
        server.oplocks.adoptLease(pid, h.leaseKey());

        List<Create.Context> answers = new ArrayList<>();
        int oplock = server.state.shareModes().get(old.fileKey).open(pid).map(OpenEntry::oplockLevel)
            .orElse(OplockLevel.NONE);
        if (h.leaseKey() != null) {
            Optional<Lease> l = server.state.leases().get(h.leaseKey());
            if (l.isPresent() && asked != null) {
                answers.add(new Create.Context(LeaseContext.NAME, new LeaseContext(asked.version(), asked.leaseKey(),
                    l.get().state(), l.get().isBreaking() ? LeaseContext.FLAG_BREAK_IN_PROGRESS : 0,
                    asked.parentLeaseKey(), asked.version() == 2 ? l.get().epoch() : 0).encode()));
            }
        }
        // a reconnect answers no DHnQ/DH2Q context (smbtorture smb2.durable-open.reopen1a-lease)
        FileStat st = Handlers.stat(open);
        new Create.Response(oplock, 0, Create.ACTION_OPENED, st.creationTime(), st.lastAccessTime(),
            st.lastWriteTime(), st.changeTime(), st.allocationSize(), st.size(), st.wireAttributes(), id, answers)
            .encode(out);
    }

    private static LeaseContext leaseContextAnyLevel(SmbConnection conn, Create.Request r) {
        Create.Context c = find(r, LeaseContext.NAME);
        if (c == null || conn.dialect == null || conn.dialect.code() < 0x0210) {
            return null;
        }
        return LeaseContext.decode(c.data());
    }

    private static UUID clientGuid(SmbConnection conn) {
        return conn.clientGuid == null ? new UUID(0, 0) : conn.clientGuid;
    }

    private static String user(Request req) {
        String u = req.session == null ? null : req.session.user;
        return u == null ? "" : u;
    }
}
