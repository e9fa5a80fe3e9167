package org.bladeshare.cluster.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Persistent-database recovery rule (CTDB's {@code db_recovery} for persistent databases):
 * for each database, the copy with the highest sequence number wins and is installed on
 * every member whose copy is older or missing.
 */
public final class PersistentRecoveryPlan {
    private PersistentRecoveryPlan() {
    }

    /** Copy {@code db} at {@code seq} from {@code source} to each of {@code targets}. */
    public record Transfer<M>(String db, long seq, M source, List<M> targets) {
    }

    /**
     * @param reports   each member's database sequence numbers, in member order
     * @param preferred the member to take the copy from when it ties for the highest (this node)
     */
    public static <M> List<Transfer<M>> plan(Map<M, Map<String, Long>> reports, M preferred) {
        Set<String> dbs = new TreeSet<>();
        reports.values().forEach(r -> dbs.addAll(r.keySet()));
        List<Transfer<M>> plan = new ArrayList<>();
        for (String db : dbs) {
            long best = Long.MIN_VALUE;
            M source = null;
            for (var e : reports.entrySet()) {
                Long s = e.getValue().get(db);
                if (s != null && (s > best || (s == best && e.getKey().equals(preferred)))) {
                    best = s;
                    source = e.getKey();
                }
            }
            List<M> targets = new ArrayList<>();
            for (var e : reports.entrySet()) {
                Long s = e.getValue().get(db);
                if (s == null || s < best) {
                    targets.add(e.getKey());
                }
            }
            if (!targets.isEmpty()) {
                plan.add(new Transfer<>(db, best, source, List.copyOf(targets)));
            }
        }
        return List.copyOf(plan);
    }
}
