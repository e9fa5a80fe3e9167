package org.bladeshare.cluster.recovery;

import org.bladeshare.cluster.db.Lmaster;
import org.bladeshare.cluster.wire.WireMessage.Header;
import org.bladeshare.cluster.wire.WireMessage.Keep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolatileRecoveryPlannerTest {
    private static final List<Integer> ACTIVE = List.of(0, 1, 2);

    /** A key whose LMASTER over 0,1,2 is the given node. */
    private static String keyWithLmaster(int pnn) {
        for (int i = 0; ; i++) {
            if (Lmaster.of("k" + i, ACTIVE) == pnn) {
                return "k" + i;
            }
        }
    }

    @Test
    void highestRsnWinsAndItsHolderBecomesDmasterWithAPointerAtTheLmaster() {
        String key = keyWithLmaster(0);
        var plan = VolatileRecoveryPlanner.plan(Map.of(
                0, Map.of("locks", List.of(new Header(key, 4, 1, true))),   // LMASTER's older copy
                1, Map.of("locks", List.of(new Header(key, 7, 1, true))),   // DMASTER
                2, Map.of("locks", List.of(new Header(key, 2, 2, true)))),  // a stale copy
                ACTIVE);
        Keep keep = new Keep(key, 1, 7);
        assertEquals(List.of(keep), plan.get(1).get("locks"));
        assertEquals(List.of(keep), plan.get(0).get("locks"), "LMASTER points at the DMASTER");
        assertEquals(List.of(), plan.get(2).get("locks"), "the stale copy is dropped");
    }

    @Test
    void onEqualRsnTheCopyWhoseHolderClaimsDmasterWins() {
        String key = keyWithLmaster(2);
        // hand-over cut by recovery: old DMASTER 0 and LMASTER 2 both have RSN 5 naming 1,
        // which never got it; the copy that claims itself does not exist, so the one with data
        // and the lowest PNN wins.
        var plan = VolatileRecoveryPlanner.plan(Map.of(
                0, Map.of("db", List.of(new Header(key, 5, 1, true))),
                1, Map.of("db", List.of(new Header(key, 4, 1, true))),
                2, Map.of("db", List.of(new Header(key, 5, 1, false)))), ACTIVE);
        assertEquals(List.of(new Keep(key, 0, 5)), plan.get(0).get("db"));
        var plan2 = VolatileRecoveryPlanner.plan(Map.of(
                0, Map.of("db", List.of(new Header(key, 5, 1, true))),
                1, Map.of("db", List.of(new Header(key, 5, 1, true)))), ACTIVE);
        assertEquals(List.of(new Keep(key, 1, 5)), plan2.get(1).get("db"), "the claimant wins the tie");
    }

    @Test
    void copiesOnInactiveNodesAreIgnoredAndLmastersMoveToTheActiveOnes() {
        String key = "only-on-2";
        var plan = VolatileRecoveryPlanner.plan(Map.of(
                0, Map.of("db", List.<Header>of()),
                2, Map.of("db", List.of(new Header(key, 9, 2, true)))), List.of(0, 1));
        assertTrue(plan.get(0).get("db").isEmpty());
        assertTrue(plan.get(1).get("db").isEmpty());
        assertTrue(!plan.containsKey(2), "an inactive node gets nothing to keep");
    }

    @Test
    void everyRecordEndsWithExactlyOneDmaster() {
        Map<Integer, Map<String, List<Header>>> dumps = Map.of(
                0, Map.of("db", List.of(new Header("a", 1, 0, true), new Header("b", 3, 1, true))),
                1, Map.of("db", List.of(new Header("b", 3, 1, true), new Header("c", 2, 1, true))),
                2, Map.of("db", List.of(new Header("a", 1, 0, false), new Header("c", 1, 2, true))));
        var plan = VolatileRecoveryPlanner.plan(dumps, ACTIVE);
        for (String key : List.of("a", "b", "c")) {
            long dmasters = plan.entrySet().stream()
                    .filter(e -> e.getValue().get("db").stream().anyMatch(k -> k.key().equals(key) && k.dmaster() == e.getKey()))
                    .count();
            assertEquals(1, dmasters, key);
        }
    }
}
