package org.bladeshare.hardware.net;

import java.util.Comparator;
import java.util.List;

/** Interfaces of a blade that does not exist here: fixed at construction. Only for machines with no real NIC to show. */
public final class SimulatedNetwork implements NetworkPort {
    private final List<Nic> nics;

    public SimulatedNetwork(List<Nic> nics) {
        this.nics = nics.stream().sorted(Comparator.comparing(Nic::name)).toList();
    }

    /** A blade with a loopback and two front-panel ports, as a chassis blade has. */
    public static SimulatedNetwork standardBlade() {
        return new SimulatedNetwork(List.of(
                new Nic("lo", true, true, "", List.of("127.0.0.1/8")),
                new Nic("eth0", true, false, "02:00:00:00:00:01", List.of("198.18.0.1/24")),
                new Nic("eth1", false, false, "02:00:00:00:00:02", List.of())));
    }

    @Override
    public List<Nic> nics() {
        return nics;
    }
}
