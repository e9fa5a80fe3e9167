package org.bladeshare.cluster.recovery;

import org.bladeshare.cluster.db.Lmaster;
import org.bladeshare.cluster.wire.WireMessage.Header;
import org.bladeshare.cluster.wire.WireMessage.Keep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The volatile-database recovery rule (CTDB's recovery: pull every copy, the highest RSN
 * wins), computed from headers only so that no record data crosses the network:
 * <ul>
 * <li>for each key, the copy with the highest RSN wins; on a tie the copy whose holder
 * claims to be DMASTER, then a copy with data, then the lowest PNN;</li>
 * <li>the winner's holder becomes (or stays) DMASTER, so records stay where they are used;</li>
 * <li>the key's LMASTER over the new active list keeps a header pointing at it;</li>
 * <li>every other copy is dropped; copies on inactive nodes are ignored.</li>
 * </ul>
 */
public final class VolatileRecoveryPlanner {
    private VolatileRecoveryPlanner() {
    }

    private record Best(int holder, Header header) {
    }

    /**
     * @param dumps  each node's headers by database, keyed by PNN
     * @param active the active PNNs in ascending order
     * @return per PNN (every active node, possibly with nothing), per database, what to keep
     */
    public static Map<Integer, Map<String, List<Keep>>> plan(Map<Integer, Map<String, List<Header>>> dumps,
                                                              List<Integer> active) {
        Map<Integer, Map<String, List<Keep>>> plan = new TreeMap<>();
        for (int pnn : active) {
            plan.put(pnn, new TreeMap<>());
        }
        Map<String, Map<String, Best>> winners = new TreeMap<>();
        for (var node : dumps.entrySet()) {
            int holder = node.getKey();
            if (!active.contains(holder)) {
                continue;
            }
            node.getValue().forEach((db, headers) -> {
                Map<String, Best> best = winners.computeIfAbsent(db, d -> new HashMap<>());
                for (Header h : headers) {
                    best.merge(h.key(), new Best(holder, h), VolatileRecoveryPlanner::better);
                }
            });
        }
        winners.forEach((db, best) -> {
            for (int pnn : active) {
                plan.get(pnn).put(db, new ArrayList<>());
            }
            best.forEach((key, b) -> {
                Keep keep = new Keep(key, b.holder(), b.header().rsn());
                plan.get(b.holder()).get(db).add(keep);
                int lmaster = Lmaster.of(key, active);
                if (lmaster != b.holder()) {
                    plan.get(lmaster).get(db).add(keep);
                }
            });
        });
        return plan;
    }

    private static Best better(Best a, Best b) {
        if (a.header().rsn() != b.header().rsn()) {
            return a.header().rsn() > b.header().rsn() ? a : b;
        }
        boolean aClaims = a.header().dmaster() == a.holder();
        boolean bClaims = b.header().dmaster() == b.holder();
        if (aClaims != bClaims) {
            return aClaims ? a : b;
        }
        if (a.header().hasData() != b.header().hasData()) {
            return a.header().hasData() ? a : b;
        }
        return a.holder() <= b.holder() ? a : b;
    }
}
