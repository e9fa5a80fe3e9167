package org.bladeshare.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterTunablesTest {
    @Test
    void defaultsAreTheMeasuredFastDetection() {
        assertEquals(Duration.ofMillis(1200), ClusterTunables.DEFAULTS.failureTimeout());
        assertEquals(Duration.ofMillis(300), ClusterTunables.DEFAULTS.heartbeat());
        assertEquals(Duration.ofMillis(300), ClusterTunables.DEFAULTS.verifySuspect());
        assertEquals(Duration.ofSeconds(300), ClusterTunables.DEFAULTS.recoveryBan(), "CTDB's RecoveryBanPeriod");
    }

    @Test
    void nonsenseTimingsAreRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClusterTunables(
                Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(300)));
        assertTrue(e.getMessage().contains("heartbeat"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClusterTunables(
                Duration.ofMillis(1500), Duration.ZERO, Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(300)));
        assertThrows(IllegalArgumentException.class, () -> new ClusterTunables(
                Duration.ofHours(1), Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(300)));
        assertThrows(IllegalArgumentException.class, () -> new ClusterTunables(Duration.ofMillis(1500),
                Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ZERO));
    }
}
