package org.bladeshare.cluster;

import org.bladeshare.cluster.db.LockedRecord;
import org.bladeshare.cluster.membership.NodeState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ctdb disable/enable/stop/continue/ban/unban, seen on every node. */
class AdminStatesTest {
    @TempDir
    static Path tmp;
    static TestNodes nodes;

    @BeforeAll
    static void startCluster() throws Exception {
        nodes = new TestNodes(tmp, 3).startAll();
        nodes.awaitConverged(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopCluster() {
        nodes.close();
    }

    private static void awaitStateEverywhere(int pnn, NodeState state) {
        Await.until(Duration.ofSeconds(3), () -> {
            for (int i = 0; i < 3; i++) {
                if (nodes.node(i).nodes().get(pnn).state() != state) {
                    return false;
                }
            }
            return true;
        }, nodes::describe);
    }

    private static void awaitActive(List<Integer> active) {
        Await.until(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 3; i++) {
                if (!nodes.node(i).serving()) {
                    return false;
                }
            }
            return nodes.node(0).nodes().stream().filter(s -> s.coordinator()).findFirst()
                    .map(c -> nodes.node(c.pnn()).lastRecovery() != null
                            && nodes.node(c.pnn()).lastRecovery().activeNodes() == active.size())
                    .orElse(false);
        }, nodes::describe);
    }

    @Test
    void disableAndEnablePropagateToEveryNode() {
        nodes.node(1).disable();
        awaitStateEverywhere(1, NodeState.DISABLED);
        assertEquals(NodeState.OK, nodes.node(2).nodes().get(0).state());
        nodes.node(1).enable();
        awaitStateEverywhere(1, NodeState.OK);
    }

    @Test
    void aFailingMonitorMarksTheNodeUnhealthyEverywhere() {
        nodes.node(2).reportHealth(false);
        awaitStateEverywhere(2, NodeState.UNHEALTHY);
        nodes.node(2).reportHealth(true);
        awaitStateEverywhere(2, NodeState.OK);
    }

    @Test
    void aStoppedNodeTakesPartInNothingUntilContinued() {
        nodes.node(2).stop();
        awaitStateEverywhere(2, NodeState.STOPPED);
        awaitActive(List.of(0, 1));
        ClusterException e = assertThrows(ClusterException.class,
                () -> nodes.node(2).volatileDb("opens").fetchLocked("x"));
        assertTrue(e.getMessage().contains("not active"), e.getMessage());
        try (LockedRecord r = nodes.node(0).volatileDb("opens").fetchLocked("x")) {
            r.store(new byte[]{1});
        }
        nodes.node(2).cont();
        awaitStateEverywhere(2, NodeState.OK);
        awaitActive(List.of(0, 1, 2));
        assertEquals(1, nodes.node(2).volatileDb("opens").fetch("x").orElseThrow()[0]);
    }

    @Test
    void aBanEndsByItselfOrByUnban() {
        assertThrows(IllegalArgumentException.class, () -> nodes.node(1).ban(Duration.ofMillis(10)));
        nodes.node(1).ban(Duration.ofSeconds(1));
        awaitStateEverywhere(1, NodeState.BANNED);
        long ms = Await.until(Duration.ofSeconds(4), () -> {
            for (int i = 0; i < 3; i++) {
                if (nodes.node(i).nodes().get(1).state() != NodeState.OK) {
                    return false;
                }
            }
            return true;
        }, nodes::describe);
        System.out.printf("1 s ban over, seen on every node %d ms after the ban was seen%n", ms);

        nodes.node(1).ban(Duration.ofSeconds(60));
        awaitStateEverywhere(1, NodeState.BANNED);
        nodes.node(1).unban();
        awaitStateEverywhere(1, NodeState.OK);
    }

    @Test
    void stateSurvivesForNodesThatJoinLater() throws Exception {
        nodes.node(0).disable();
        awaitStateEverywhere(0, NodeState.DISABLED);
        nodes.stop(2);
        nodes.start(2);
        nodes.awaitConverged(Duration.ofSeconds(20));
        Await.until(Duration.ofSeconds(3), () -> nodes.node(2).nodes().get(0).state() == NodeState.DISABLED,
                nodes::describe);
        nodes.node(0).enable();
        awaitStateEverywhere(0, NodeState.OK);
    }
}
