package org.bladeshare.cluster.db;

import org.bladeshare.cluster.db.PersistentRecoveryPlan.Transfer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PersistentRecoveryPlanTest {
    @Test
    void highestSequenceNumberIsCopiedToOlderAndMissingCopies() {
        Map<String, Map<String, Long>> reports = new LinkedHashMap<>();
        reports.put("n0", Map.of("users", 5L, "shares", 2L));
        reports.put("n1", Map.of("users", 9L));
        reports.put("n2", Map.of("users", 9L, "shares", 2L));
        assertEquals(List.of(
                        new Transfer<>("shares", 2L, "n0", List.of("n1")),
                        new Transfer<>("users", 9L, "n1", List.of("n0"))),
                PersistentRecoveryPlan.plan(reports, "n0"));
    }

    @Test
    void onATieThePreferredMemberIsTheSource() {
        Map<String, Map<String, Long>> reports = new LinkedHashMap<>();
        reports.put("n0", Map.of("users", 9L));
        reports.put("n1", Map.of("users", 9L));
        reports.put("n2", Map.of("users", 3L));
        assertEquals(List.of(new Transfer<>("users", 9L, "n1", List.of("n2"))),
                PersistentRecoveryPlan.plan(reports, "n1"));
    }

    @Test
    void identicalCopiesNeedNothing() {
        Map<String, Map<String, Long>> reports = new LinkedHashMap<>();
        reports.put("n0", Map.of("users", 4L));
        reports.put("n1", Map.of("users", 4L));
        assertEquals(List.of(), PersistentRecoveryPlan.plan(reports, "n0"));
    }
}
