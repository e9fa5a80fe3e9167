package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Lock;
import org.bladeshare.smb.state.LockRange;
import org.bladeshare.smb.state.LockRequest;
import org.bladeshare.smb.state.LockResult;
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
        long asyncId = req.connection.newAsyncId();
        LockResult result = state.locks().lock(open.fileKey, open.owner, requests,
            failImmediately ? Optional.empty() : Optional.of(asyncId));
        if (result.pending()) {
            var file = open.fileKey;
            req.goAsync(asyncId, () -> state.locks().cancel(file, state.node(), req.connection.id, asyncId));
            return;
        }
        if (!result.granted()) {
            throw new NtStatusException(result.status());
        }
        // [MS-FSA] 2.1.5.7: a granted byte-range lock breaks level II oplocks (and read leases) on the file
        req.server().oplocks.breakLevelTwoForWrite(open);
        encodeResponse(out);
    }
}
