package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A file's byte-range lock record (Samba's brlock.tdb entry): the granted locks and the blocking
 * requests waiting for them, in arrival order. Every method is a pure transition.
 */
public record LockRecord(List<HeldLock> locks, List<PendingLock> pending) {
    private static final int VERSION = 1;
    public static final LockRecord EMPTY = new LockRecord(List.of(), List.of());
    /** Locks plus waiters one file may have, so no client can grow a record without bound. */
    public static final int MAX_ENTRIES = 65_536;

    public LockRecord {
        locks = List.copyOf(locks);
        pending = List.copyOf(pending);
    }

    public boolean isEmpty() {
        return locks.isEmpty() && pending.isEmpty();
    }

    /** Takes every element or none; with {@code asyncId} present a conflict records a waiter instead of failing. */
    Transition<LockRecord, LockResult> lock(OpenOwner owner, List<LockRequest> requests, Long asyncId) {
        if (requests.isEmpty()) {
            return Transition.of(this, new LockResult(NtStatus.INVALID_PARAMETER));
        }
        if (locks.size() + pending.size() + requests.size() > MAX_ENTRIES) {
            return Transition.of(this, new LockResult(NtStatus.INSUFFICIENT_RESOURCES));
        }
        for (LockRequest q : requests) {
            if (!q.range().isValid()) {
                return Transition.of(this, new LockResult(StateStatus.INVALID_LOCK_RANGE));
            }
        }
        if (LockRules.grantable(locks, owner, requests)) {
            List<HeldLock> next = new ArrayList<>(locks);
            requests.forEach(q -> next.add(new HeldLock(owner, q.range(), q.exclusive())));
            return Transition.of(new LockRecord(next, pending), new LockResult(NtStatus.SUCCESS));
        }
        if (asyncId == null) {
            return Transition.of(this, new LockResult(NtStatus.LOCK_NOT_GRANTED));
        }
        boolean duplicate = pending.stream().anyMatch(p -> sameWaiter(p, owner, asyncId));
        if (duplicate) {
            return Transition.of(this, new LockResult(NtStatus.INVALID_PARAMETER));
        }
        List<PendingLock> waiting = new ArrayList<>(pending);
        waiting.add(new PendingLock(owner, asyncId, requests));
        return Transition.of(new LockRecord(locks, waiting), new LockResult(NtStatus.PENDING));
    }

    /**
     * Unlocks ranges in order ([MS-SMB2] 3.3.5.14.1): each must match a lock of this open exactly
     * (an exclusive one first when both modes are stacked), else STATUS_RANGE_NOT_LOCKED and the
     * rest is not processed. Then grants the waiters that can now go.
     */
    Transition<LockRecord, UnlockResult> unlock(FileKey file, OpenOwner owner, List<LockRange> ranges) {
        List<HeldLock> next = new ArrayList<>(locks);
        int status = ranges.isEmpty() ? NtStatus.INVALID_PARAMETER : NtStatus.SUCCESS;
        for (LockRange r : ranges) {
            HeldLock match = find(next, owner.openId(), r, true);
            if (match == null) {
                match = find(next, owner.openId(), r, false);
            }
            if (match == null) {
                status = NtStatus.RANGE_NOT_LOCKED;
                break;
            }
            next.remove(match);
        }
        return grantWaiters(file, new LockRecord(next, pending), status, List.of());
    }

    private static HeldLock find(List<HeldLock> held, long openId, LockRange r, boolean exclusive) {
        for (HeldLock h : held) {
            if (h.owner().openId() == openId && h.range().equals(r) && h.exclusive() == exclusive) {
                return h;
            }
        }
        return null;
    }

    /** Drops the locks and waiters of the selected owners, then grants the waiters that can now go. */
    Transition<LockRecord, UnlockResult> release(FileKey file, Predicate<OpenOwner> gone) {
        List<HeldLock> keptLocks = locks.stream().filter(h -> !gone.test(h.owner())).toList();
        List<PendingLock> keptWaiters = pending.stream().filter(p -> !gone.test(p.owner())).toList();
        if (keptLocks.size() == locks.size() && keptWaiters.size() == pending.size()) {
            return Transition.of(this, new UnlockResult(NtStatus.SUCCESS, List.of(), List.of()));
        }
        List<LockWaiter> dropped = pending.stream().filter(p -> gone.test(p.owner()))
            .map(p -> new LockWaiter(file, p)).toList();
        return grantWaiters(file, new LockRecord(keptLocks, keptWaiters), NtStatus.SUCCESS, dropped);
    }

    /** Removes one waiter (SMB2 CANCEL, [MS-SMB2] 3.3.5.16). */
    Transition<LockRecord, List<LockWaiter>> cancel(FileKey file, int node, long connectionId, long asyncId) {
        List<PendingLock> removed = pending.stream()
            .filter(p -> p.owner().node() == node && p.owner().connectionId() == connectionId && p.asyncId() == asyncId)
            .toList();
        if (removed.isEmpty()) {
            return Transition.of(this, List.of());
        }
        List<PendingLock> kept = new ArrayList<>(pending);
        kept.removeAll(removed);
        return Transition.of(new LockRecord(locks, kept), removed.stream().map(p -> new LockWaiter(file, p)).toList());
    }

    Transition<LockRecord, Integer> reassign(long openId, OpenOwner newOwner) {
        List<HeldLock> next = locks.stream()
            .map(h -> h.owner().openId() == openId ? new HeldLock(newOwner, h.range(), h.exclusive()) : h).toList();
        List<PendingLock> waiting = pending.stream().filter(p -> p.owner().openId() != openId).toList();
        return Transition.of(new LockRecord(next, waiting), NtStatus.SUCCESS);
    }

    private static Transition<LockRecord, UnlockResult> grantWaiters(FileKey file, LockRecord r, int status,
                                                                      List<LockWaiter> dropped) {
        List<HeldLock> held = new ArrayList<>(r.locks);
        List<PendingLock> still = new ArrayList<>();
        List<LockWaiter> granted = new ArrayList<>();
        for (PendingLock p : r.pending) {
            if (LockRules.grantable(held, p.owner(), p.requests())) {
                p.requests().forEach(q -> held.add(new HeldLock(p.owner(), q.range(), q.exclusive())));
                granted.add(new LockWaiter(file, p));
            } else {
                still.add(p);
            }
        }
        return Transition.of(new LockRecord(held, still), new UnlockResult(status, granted, dropped));
    }

    private static boolean sameWaiter(PendingLock p, OpenOwner owner, long asyncId) {
        return p.asyncId() == asyncId && p.owner().node() == owner.node()
            && p.owner().connectionId() == owner.connectionId();
    }

    public byte[] encode() {
        var w = new Bytes.Writer().u8(VERSION).i32(locks.size());
        locks.forEach(h -> h.write(w));
        w.i32(pending.size());
        pending.forEach(p -> p.write(w));
        return w.toBytes();
    }

    public static LockRecord decode(byte[] data) {
        var r = new Bytes.Reader(data, "LockRecord");
        r.version(VERSION);
        int n = r.count();
        List<HeldLock> locks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            locks.add(HeldLock.read(r));
        }
        int m = r.count();
        List<PendingLock> pending = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            pending.add(PendingLock.read(r));
        }
        r.end();
        return new LockRecord(locks, pending);
    }
}
