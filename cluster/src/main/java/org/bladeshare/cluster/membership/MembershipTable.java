package org.bladeshare.cluster.membership;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a membership view into the {@code ctdb status}-like table: one row per configured
 * peer, OK when in the view, DISCONNECTED otherwise; the coordinator is the view's first
 * member.
 */
public final class MembershipTable {
    private MembershipTable() {
    }

    /**
     * @param peers      the configured peers, index = PNN
     * @param selfPnn    this node's PNN
     * @param view       the view's members in view order
     * @param knownNames names of nodes seen before, by PNN (for rows of absent nodes)
     */
    public static List<NodeStatus> statuses(List<InetSocketAddress> peers, int selfPnn,
                                            List<MemberIdentity> view, Map<Integer, String> knownNames) {
        return statuses(peers, selfPnn, view, knownNames, Map.of());
    }

    /** As above; members' states come from their administrative state (OK when absent). */
    public static List<NodeStatus> statuses(List<InetSocketAddress> peers, int selfPnn,
                                            List<MemberIdentity> view, Map<Integer, String> knownNames,
                                            Map<Integer, NodeState> adminStates) {
        int coordinator = view.isEmpty() ? -1 : view.getFirst().pnn();
        List<NodeStatus> rows = new ArrayList<>(peers.size());
        for (int pnn = 0; pnn < peers.size(); pnn++) {
            String address = addressOf(peers.get(pnn));
            MemberIdentity member = null;
            for (MemberIdentity m : view) {
                if (m.pnn() == pnn) {
                    member = m;
                    break;
                }
            }
            String name = member != null ? member.name() : knownNames.getOrDefault(pnn, address);
            NodeState state = member != null ? adminStates.getOrDefault(pnn, NodeState.OK) : NodeState.DISCONNECTED;
            rows.add(new NodeStatus(pnn, name, address, state, pnn == coordinator, pnn == selfPnn));
        }
        return List.copyOf(rows);
    }

    public static String addressOf(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
