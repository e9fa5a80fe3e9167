package org.bladeshare.cluster.db;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LmasterTest {
    @Test
    void fnv1aMatchesItsPublishedTestVectors() {
        assertEquals(0x811c9dc5, Lmaster.hash(""));
        assertEquals(0xe40c292c, Lmaster.hash("a"));
        assertEquals(0xbf9cf968, Lmaster.hash("foobar"));
    }

    @Test
    void everyNodeComputesTheSameLmasterAmongTheActiveNodes() {
        List<Integer> active = List.of(0, 2, 5);
        for (int i = 0; i < 1000; i++) {
            String key = "file-" + i;
            int l = Lmaster.of(key, active);
            assertTrue(active.contains(l), key + " -> " + l);
            assertEquals(l, Lmaster.of(key, List.of(0, 2, 5)));
        }
    }

    @Test
    void keysSpreadEvenlyOverThreeNodes() {
        Map<Integer, Integer> count = new HashMap<>();
        for (int i = 0; i < 30_000; i++) {
            count.merge(Lmaster.of("share/dir/file-" + i + ".txt", List.of(0, 1, 2)), 1, Integer::sum);
        }
        for (int pnn = 0; pnn < 3; pnn++) {
            int n = count.getOrDefault(pnn, 0);
            assertTrue(n > 9_000 && n < 11_000, "node " + pnn + " is LMASTER of " + n + " of 30000 keys");
        }
    }

    @Test
    void aSingleActiveNodeIsLmasterOfEverythingAndNoneIsAnError() {
        assertEquals(3, Lmaster.of("anything", List.of(3)));
        assertThrows(IllegalStateException.class, () -> Lmaster.of("k", List.of()));
    }
}
