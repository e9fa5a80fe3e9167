package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Lock;
import org.bladeshare.smb.state.LockRange;
import org.bladeshare.smb.state.LockRequest;
import org.bladeshare.smb.state.LockResult;
import org.bladeshare.smb.state.LockWaiter;
import org.bladeshare.smb.state.SessionUsage;
import org.bladeshare.smb.state.UnlockResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SMB2 LOCK ([MS-SMB2] 3.3.5.14) through the byte-range lock table: unlocks, immediate locks, and
 * a single blocking lock that waits asynchronously until a release grants it or it is cancelled.
 */
final class LockHandler implements CommandHandler {

    static void encodeResponse(ByteBuf out) {
        out.writeShortLE(4);
        out.writeShortLE(0);
    }

    @Override
    public void handle(Request req, ByteBuf out) {
        var r = Lock.Request.decode(req.message);
        Open open = req.open(r.fileId());
        if (open.fileKey == null || open.directory) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "locks need a file");
        }
        StatePorts state = req.server().state;
        LockSequences sequences = sequencesFor(req, open);
        if (sequences != null && sequences.isReplay(r.lockSequence())) {
            encodeResponse(out); // [MS-SMB2] 3.3.5.14: a replay of the bucket's last success is not applied again
            return;
        }
        boolean unlock = (r.locks().getFirst().flags() & Lock.UNLOCK) != 0;
        if (unlock) {
            // [MS-SMB2] 3.3.5.14.1: elements are unlocked in order; a non-unlock element fails the
            // request from there on, the earlier unlocks stay done.
            for (Lock.Element e : r.locks()) {
                if (e.flags() != Lock.UNLOCK) {
                    throw new NtStatusException(NtStatus.INVALID_PARAMETER, "mixed unlock and lock");
                }
                UnlockResult result = state.locks().unlock(open.fileKey, open.owner,
                    List.of(new LockRange(e.offset(), e.length())));
                Handlers.completeGrantedLocks(req.server(), result.granted());
                if (result.status() != NtStatus.SUCCESS) {
                    throw new NtStatusException(result.status());
                }
            }
            if (sequences != null) {
                sequences.succeeded(r.lockSequence());
            }
            encodeResponse(out);
            return;
        }
        List<LockRequest> requests = new ArrayList<>();
        boolean failImmediately = true;
        for (Lock.Element e : r.locks()) {
            int kind = e.flags() & ~Lock.FAIL_IMMEDIATELY;
            if (kind != Lock.SHARED && kind != Lock.EXCLUSIVE) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad lock flags");
            }
            boolean immediate = (e.flags() & Lock.FAIL_IMMEDIATELY) != 0;
            if (!immediate && r.locks().size() > 1) {
                // [MS-SMB2] 3.3.5.14.2: only a single-element request may block
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "blocking lock with several elements");
            }
            failImmediately &= immediate;
            requests.add(new LockRequest(new LockRange(e.offset(), e.length()), kind == Lock.EXCLUSIVE));
        }
        SessionUsage usage = null;
        if (!failImmediately) {
            // issue 4: a session may keep only so many blocking locks waiting
            usage = req.session.usage(state.limits());
            int taken = usage.tryAcquire(SessionUsage.Resource.PENDING_LOCKS);
            if (taken != NtStatus.SUCCESS) {
                throw new NtStatusException(taken, "too many pending locks in this session");
            }
        }
        long asyncId = req.connection.newAsyncId();
        LockResult result;
        try {
            result = state.locks().lock(open.fileKey, open.owner, requests,
                failImmediately ? Optional.empty() : Optional.of(asyncId));
        } catch (RuntimeException e) {
            if (usage != null) {
                usage.release(SessionUsage.Resource.PENDING_LOCKS);
            }
            throw e;
        }
        if (result.pending()) {
            var file = open.fileKey;
            AsyncOp op = req.goAsync(asyncId, () -> state.locks().cancel(file, state.node(), req.connection.id, asyncId));
            SessionUsage held = usage;
            op.whenDone(() -> held.release(SessionUsage.Resource.PENDING_LOCKS));
            return;
        }
        if (usage != null) {
            usage.release(SessionUsage.Resource.PENDING_LOCKS);
        }
        if (!result.granted()) {
            throw new NtStatusException(result.status());
        }
        if (sequences != null) {
            sequences.succeeded(r.lockSequence());
        }
        // [MS-FSA] 2.1.5.7: a granted byte-range lock breaks level II oplocks (and read leases) on the file
        req.server().oplocks.breakLevelTwoForWrite(open);
        encodeResponse(out);
    }

    /**
     * The open's lock sequence buckets when the request is subject to replay detection ([MS-SMB2]
     * 3.3.5.14): durable opens from SMB 2.1 on, and every open of an SMB 3.x connection (as Samba does,
     * which the spec allows for 3.x), else null.
     */
    private static LockSequences sequencesFor(Request req, Open open) {
        var dialect = req.connection.dialect;
        boolean verify = dialect != null && (dialect.isSmb3()
            || dialect == org.bladeshare.smb.smb2.Dialect.SMB_2_1
            && req.server().oplocks.durable.isDurable(open.fileId.persistent()));
        if (!verify) {
            return null;
        }
        synchronized (open) {
            if (open.lockSequences == null) {
                open.lockSequences = new LockSequences();
            }
            return open.lockSequences;
        }
    }

    /** Answers the blocking LOCKs of a closed open that were still waiting ([MS-SMB2] 3.3.4.16, as Samba: RANGE_NOT_LOCKED). */
    static void completeDroppedLocks(ServerContext server, List<LockWaiter> dropped) {
        for (LockWaiter w : dropped) {
            var owner = w.lock().owner();
            if (owner.node() != server.state.node()) {
                continue;
            }
            SmbConnection c = server.connections.get(owner.connectionId());
            AsyncOp op = c == null ? null : c.asyncOps.get(w.lock().asyncId());
            if (op != null) {
                op.complete(NtStatus.RANGE_NOT_LOCKED, b -> { });
            }
        }
    }
}
