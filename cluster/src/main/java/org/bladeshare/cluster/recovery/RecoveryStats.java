package org.bladeshare.cluster.recovery;

import java.time.Duration;
import java.time.Instant;

/** The last recovery this node ran as coordinator (like {@code ctdb uptime}'s recovery lines). */
public record RecoveryStats(long generation, int volatileRecords, int activeNodes, Duration took, Instant finished) {
}
