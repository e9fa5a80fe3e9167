package org.bladeshare.cluster;

import org.bladeshare.cluster.membership.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** A node whose services are still starting is never shown OK by its peers until it says it is healthy. */
class StartingNodeTest {
    @TempDir
    Path tmp;

    @Test
    void aStartingNodeIsUnhealthyFromTheFirstViewUntilItReportsHealth() throws Exception {
        try (TestNodes nodes = new TestNodes(tmp, 3)) {
            ClusterNode first = nodes.start(0);
            AtomicBoolean sawOkEarly = new AtomicBoolean();
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread watcher = Thread.ofVirtual().start(() -> {
                while (watching.get()) {
                    if (first.nodes().get(1).state() == NodeState.OK) {
                        sawOkEarly.set(true);
                    }
                    Thread.onSpinWait();
                }
            });
            try (ClusterNode second = ClusterNode.start(nodes.config(1), ClusterTunables.DEFAULTS, false)) {
                Await.until(Duration.ofSeconds(20), () -> first.nodes().get(1).state() == NodeState.UNHEALTHY,
                        () -> "first sees " + first.nodes());
                assertEquals(NodeState.UNHEALTHY, second.nodes().get(1).state(), "it sees itself starting too");
                watching.set(false);
                watcher.join();
                assertFalse(sawOkEarly.get(), "the starting node was never shown OK before it reported health");

                second.reportHealth(true);
                Await.until(Duration.ofSeconds(10), () -> first.nodes().get(1).state() == NodeState.OK,
                        () -> "first sees " + first.nodes());
                assertEquals(NodeState.OK, second.nodes().get(1).state());

                // A node that joins later still learns that the once-starting node is healthy,
                // although the starting mark stays in that node's address.
                try (ClusterNode third = ClusterNode.start(nodes.config(2), ClusterTunables.DEFAULTS, false)) {
                    third.reportHealth(true);
                    Await.until(Duration.ofSeconds(20), () -> third.nodes().stream()
                                    .allMatch(n -> n.state() == NodeState.OK),
                            () -> "the late joiner sees " + third.nodes());
                }
            } finally {
                watching.set(false);
            }
        }
    }
}
