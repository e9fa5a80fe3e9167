package org.bladeshare.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The message bus and replicated key/value databases over three nodes. */
class BusAndReplicatedTest {
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

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void messagesReachTheServiceOnOneNodeOrOnAll() throws Exception {
        List<List<String>> got = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        List<AutoCloseable> regs = new java.util.ArrayList<>();
        for (int n = 0; n < 3; n++) {
            List<String> mine = got.get(n);
            regs.add(nodes.node(n).bus().register("oplock-break",
                    (from, payload) -> mine.add(from + ":" + new String(payload, StandardCharsets.UTF_8))));
        }
        nodes.node(0).bus().send(2, "oplock-break", b("file-1"));
        nodes.node(0).bus().send(2, "other-service", b("nobody listens"));
        nodes.node(1).bus().broadcast("oplock-break", b("all"));
        Await.until(Duration.ofSeconds(3), () -> got.get(2).size() == 2 && got.get(0).size() == 1
                && got.get(1).size() == 1, got::toString);
        assertEquals(List.of("0:file-1", "1:all"), got.get(2).stream().sorted().toList());
        assertEquals(List.of("1:all"), got.get(0));
        for (AutoCloseable r : regs) {
            r.close();
        }
        ClusterException e = assertThrows(ClusterException.class,
                () -> nodes.node(0).bus().send(7, "oplock-break", b("x")));
        assertTrue(e.getMessage().contains("not a member"), e.getMessage());
    }

    @Test
    void aReplicatedWriteReachesEveryNodeAndANewcomerGetsACopy() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable w = nodes.node(2).replicated("tickles").watch((k, v) -> seen.add(k))) {
            nodes.node(0).replicated("tickles").put("10.0.0.1:445", b("client-a"));
            nodes.node(1).replicated("tickles").put("10.0.0.2:445", b("client-b"));
            Await.until(Duration.ofSeconds(3), () -> {
                for (int n = 0; n < 3; n++) {
                    if (nodes.node(n).replicated("tickles").snapshot().size() != 2) {
                        return false;
                    }
                }
                return true;
            }, () -> "replicated copies differ");
            Await.until(Duration.ofSeconds(3), () -> seen.size() == 2, seen::toString);
        }
        nodes.node(1).replicated("tickles").delete("10.0.0.1:445");
        Await.until(Duration.ofSeconds(3),
                () -> nodes.node(0).replicated("tickles").get("10.0.0.1:445").isEmpty(), () -> "delete not seen");

        nodes.stop(2);
        nodes.awaitConverged(Duration.ofSeconds(3));
        nodes.start(2);
        nodes.awaitConverged(Duration.ofSeconds(20));
        Await.until(Duration.ofSeconds(3), () -> nodes.node(2).replicated("tickles").snapshot().keySet()
                .equals(java.util.Set.of("10.0.0.2:445")), () -> "newcomer has "
                + nodes.node(2).replicated("tickles").snapshot().keySet());
    }

    @Test
    void concurrentWritesOfOneKeyConvergeEverywhere() {
        for (int i = 0; i < 20; i++) {
            for (int n = 0; n < 3; n++) {
                nodes.node(n).replicated("conv").put("k", b("n" + n + "-" + i));
            }
        }
        Await.until(Duration.ofSeconds(3), () -> {
            String v0 = new String(nodes.node(0).replicated("conv").get("k").orElseThrow(), StandardCharsets.UTF_8);
            for (int n = 1; n < 3; n++) {
                if (!v0.equals(new String(nodes.node(n).replicated("conv").get("k").orElseThrow(),
                        StandardCharsets.UTF_8))) {
                    return false;
                }
            }
            return true;
        }, () -> "replicated copies disagree");
    }
}
