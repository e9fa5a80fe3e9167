package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

import java.util.List;

/** Byte-range lock conflict rules as pure functions ([MS-FSA] 2.1.5.7 locks, 2.1.4.10 I/O). */
public final class LockRules {
    private LockRules() {
    }

    /**
     * Whether a new lock of {@code requester} conflicts with an existing one: overlapping ranges where
     * either is exclusive, except a shared lock stacked on the same open's exclusive lock.
     */
    public static boolean conflicts(HeldLock existing, OpenOwner requester, LockRequest request) {
        if (!existing.exclusive() && !request.exclusive()) {
            return false;
        }
        if (existing.exclusive() && !request.exclusive() && existing.owner().openId() == requester.openId()) {
            return false;
        }
        return existing.range().overlaps(request.range());
    }

    /** Whether every element can be granted over {@code held}, each also against the ones before it. */
    public static boolean grantable(List<HeldLock> held, OpenOwner requester, List<LockRequest> requests) {
        for (int i = 0; i < requests.size(); i++) {
            LockRequest q = requests.get(i);
            for (HeldLock h : held) {
                if (conflicts(h, requester, q)) {
                    return false;
                }
            }
            for (int j = 0; j < i; j++) {
                if (conflicts(new HeldLock(requester, requests.get(j).range(), requests.get(j).exclusive()), requester, q)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * [MS-FSA] 2.1.4.10: whether a read or write of {@code range} through open {@code openId} is refused
     * (STATUS_FILE_LOCK_CONFLICT) by a lock: any other open's exclusive lock blocks both; a shared lock
     * blocks writes by everyone, its own open included. Zero-length I/O never conflicts.
     */
    public static int checkIo(List<HeldLock> held, long openId, LockRange range, boolean write) {
        if (range.length() == 0) {
            return NtStatus.SUCCESS;
        }
        LockRange r = range.isValid() ? range : new LockRange(range.offset(), -range.offset());
        for (HeldLock h : held) {
            boolean blocks = h.exclusive() ? h.owner().openId() != openId : write;
            if (blocks && h.range().length() != 0 && h.range().overlaps(r)) {
                return NtStatus.FILE_LOCK_CONFLICT;
            }
        }
        return NtStatus.SUCCESS;
    }
}
