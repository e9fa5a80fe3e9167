package org.bladeshare.cluster.membership;

import org.jgroups.Address;
import org.jgroups.View;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One membership view with its members' PNNs, as the databases need it. */
public record ViewSnapshot(View view, int selfPnn, Map<Integer, Address> addresses) {
    public static ViewSnapshot of(View view, int selfPnn) {
        Map<Integer, Address> byPnn = new LinkedHashMap<>();
        for (Address a : view.getMembers()) {
            MemberIdentity.of(a).ifPresent(id -> byPnn.put(id.pnn(), a));
        }
        return new ViewSnapshot(view, selfPnn, java.util.Collections.unmodifiableMap(byPnn));
    }

    public Optional<Address> address(int pnn) {
        return Optional.ofNullable(addresses.get(pnn));
    }

    /** Member PNNs in view order (the first is the coordinator). */
    public List<Integer> memberPnns() {
        return new ArrayList<>(addresses.keySet());
    }

    public boolean selfIsCoordinator() {
        return !addresses.isEmpty() && addresses.keySet().iterator().next() == selfPnn;
    }

    public Address self() {
        return addresses.get(selfPnn);
    }
}
