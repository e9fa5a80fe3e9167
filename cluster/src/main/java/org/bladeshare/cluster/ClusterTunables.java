package org.bladeshare.cluster;

import java.time.Duration;

/**
 * Timing knobs of the cluster (CTDB's tunables). The defaults detect a killed node in about
 * 0.3 s (its failure-detection socket closes) and a frozen one, or a dead one whose socket went
 * unwatched, in 1.5-1.8 s: silent for 1.2 s, noticed within one 0.3 s heartbeat, given 0.3 s to
 * answer. A node stalled for 1.5 s is taken for dead; CPU load alone did not do that here, even
 * with 150/50/30 ms, twice as many spinning threads as cores and the heap churning.
 *
 * @param failureTimeout  a member silent this long is suspected (JGroups FD_ALL3 timeout)
 * @param heartbeat       how often members send heartbeats (FD_ALL3 interval)
 * @param verifySuspect   how long a suspect gets to answer before it is removed (VERIFY_SUSPECT2)
 * @param joinTimeout     how long a joining node waits for the coordinator; also how long a
 *                        node starting alone waits before it forms a cluster of its own
 * @param recoveryBan     how long a node that made {@value #RECOVERY_FAILURES_BEFORE_BAN} recoveries
 *                        in a row fail is banned (CTDB's RecoveryBanPeriod, 300 s by default)
 */
public record ClusterTunables(Duration failureTimeout, Duration heartbeat, Duration verifySuspect,
                              Duration joinTimeout, Duration recoveryBan) {
    /** Consecutive recoveries a node may make fail before the coordinator bans it. */
    public static final int RECOVERY_FAILURES_BEFORE_BAN = 3;

    public static final ClusterTunables DEFAULTS = new ClusterTunables(
            Duration.ofMillis(1200), Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(1000),
            Duration.ofSeconds(300));

    public ClusterTunables {
        if (recoveryBan == null || recoveryBan.compareTo(Duration.ofSeconds(1)) < 0
                || recoveryBan.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the recovery ban lasts from 1 s to 1 day, not " + recoveryBan);
        }
        for (Duration d : new Duration[]{failureTimeout, heartbeat, verifySuspect, joinTimeout}) {
            if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("cluster timings must be between 1 ms and 5 min, got " + d);
            }
        }
        if (heartbeat.compareTo(failureTimeout) >= 0) {
            throw new IllegalArgumentException("the heartbeat (" + heartbeat.toMillis()
                    + " ms) must be shorter than the failure timeout (" + failureTimeout.toMillis() + " ms)");
        }
    }
}
