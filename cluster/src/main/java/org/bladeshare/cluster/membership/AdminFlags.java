package org.bladeshare.cluster.membership;

/**
 * A node's flags, as {@code ctdb disable|stop|ban} set them, and its health as its monitor
 * reports it.
 *
 * @param bannedUntilNanos {@link System#nanoTime()} at which a ban ends (0 = not banned)
 */
public record AdminFlags(boolean disabled, boolean stopped, long bannedUntilNanos, boolean unhealthy) {
    public static final AdminFlags NONE = new AdminFlags(false, false, 0, false);

    public AdminFlags withDisabled(boolean v) {
        return new AdminFlags(v, stopped, bannedUntilNanos, unhealthy);
    }

    public AdminFlags withStopped(boolean v) {
        return new AdminFlags(disabled, v, bannedUntilNanos, unhealthy);
    }

    public AdminFlags withBannedUntil(long nanos) {
        return new AdminFlags(disabled, stopped, nanos, unhealthy);
    }

    public AdminFlags withUnhealthy(boolean v) {
        return new AdminFlags(disabled, stopped, bannedUntilNanos, v);
    }

    public boolean banned(long nowNanos) {
        return bannedUntilNanos != 0 && bannedUntilNanos - nowNanos > 0;
    }

    /** The state of a member with these flags: BANNED over STOPPED over UNHEALTHY over DISABLED over OK. */
    public NodeState state(long nowNanos) {
        if (banned(nowNanos)) {
            return NodeState.BANNED;
        }
        if (stopped) {
            return NodeState.STOPPED;
        }
        if (unhealthy) {
            return NodeState.UNHEALTHY;
        }
        return disabled ? NodeState.DISABLED : NodeState.OK;
    }

    /** Whether the node takes part in the databases (LMASTER, recovery): not stopped, not banned. */
    public boolean active(long nowNanos) {
        return !stopped && !banned(nowNanos);
    }

    public long bannedForMillis(long nowNanos) {
        return banned(nowNanos) ? (bannedUntilNanos - nowNanos) / 1_000_000 : 0;
    }
}
