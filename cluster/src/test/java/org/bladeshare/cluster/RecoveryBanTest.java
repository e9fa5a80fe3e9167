package org.bladeshare.cluster;

import org.bladeshare.cluster.db.LockedRecord;
import org.bladeshare.cluster.membership.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A node that keeps making recovery fail is banned, the others recover without it. */
class RecoveryBanTest {
    @TempDir
    Path tmp;

    @Test
    void aNodeFailingRecoveryThreeTimesIsBannedThenComesBack() throws Exception {
        ClusterTunables shortBan = new ClusterTunables(Duration.ofMillis(1500), Duration.ofMillis(300),
                Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(2));
        try (TestNodes nodes = new TestNodes(tmp, 3)) {
            for (int i = 0; i < 3; i++) {
                nodes.start(i, shortBan);
            }
            nodes.awaitConverged(Duration.ofSeconds(20));
            nodes.node(2).failRecoveryForTest(true);
            nodes.node(0).requestRecovery();
            Await.until(Duration.ofSeconds(5), () -> nodes.node(0).nodes().get(2).state() == NodeState.BANNED
                    && nodes.node(1).nodes().get(2).state() == NodeState.BANNED, nodes::describe);
            Await.until(Duration.ofSeconds(5), () -> nodes.node(0).serving() && nodes.node(1).serving()
                    && nodes.node(0).lastRecovery().activeNodes() == 2, nodes::describe);
            try (LockedRecord r = nodes.node(1).volatileDb("opens").fetchLocked("f")) {
                r.store(new byte[]{5});
            }
            nodes.node(2).failRecoveryForTest(false);
            Await.until(Duration.ofSeconds(5), () -> nodes.node(0).nodes().get(2).state() == NodeState.OK
                    && nodes.node(0).lastRecovery().activeNodes() == 3 && nodes.node(2).serving(), nodes::describe);
            assertEquals(5, nodes.node(2).volatileDb("opens").fetch("f").orElseThrow()[0]);
        }
    }
}
