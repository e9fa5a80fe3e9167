package org.bladeshare.smb.state;

/**
 * Per-session limits, so one client cannot exhaust the server (issue 4, "Bad input and limits"):
 * open handles, blocking locks waiting, and CHANGE_NOTIFY requests pending. Past a limit a request
 * fails with STATUS_INSUFFICIENT_RESOURCES.
 */
public record SessionLimits(int maxOpens, int maxPendingLocks, int maxPendingNotifies) {
    /** Samba's default "max open files" is of this order; pending requests are bounded far lower. */
    public static final SessionLimits DEFAULT = new SessionLimits(16384, 1024, 1024);

    public SessionLimits {
        if (maxOpens < 1 || maxPendingLocks < 0 || maxPendingNotifies < 0) {
            throw new IllegalArgumentException("session limits must be positive (opens) or zero or more");
        }
    }

    /** A fresh usage counter for a new session. */
    public SessionUsage newUsage() {
        return new SessionUsage(this);
    }
}
