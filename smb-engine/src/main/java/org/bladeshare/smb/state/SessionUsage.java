package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

import java.util.concurrent.atomic.AtomicIntegerArray;

/** What one session holds against its {@link SessionLimits}; thread-safe. A session lives on one node. */
public final class SessionUsage {
    /** The limited resources. */
    public enum Resource { OPENS, PENDING_LOCKS, PENDING_NOTIFIES }

    private final SessionLimits limits;
    private final AtomicIntegerArray used = new AtomicIntegerArray(Resource.values().length);

    SessionUsage(SessionLimits limits) {
        this.limits = limits;
    }

    private int limit(Resource r) {
        return switch (r) {
            case OPENS -> limits.maxOpens();
            case PENDING_LOCKS -> limits.maxPendingLocks();
            case PENDING_NOTIFIES -> limits.maxPendingNotifies();
        };
    }

    /** Takes one unit: STATUS_SUCCESS, or STATUS_INSUFFICIENT_RESOURCES at the limit (nothing taken). */
    public int tryAcquire(Resource r) {
        int max = limit(r);
        int before = used.getAndUpdate(r.ordinal(), v -> v < max ? v + 1 : v);
        return before < max ? NtStatus.SUCCESS : NtStatus.INSUFFICIENT_RESOURCES;
    }

    /** Gives one unit back; never goes below zero. */
    public void release(Resource r) {
        used.getAndUpdate(r.ordinal(), v -> Math.max(0, v - 1));
    }

    public int inUse(Resource r) {
        return used.get(r.ordinal());
    }
}
