package org.bladeshare.cluster.membership;

import org.jgroups.protocols.BARRIER;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG2;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The JGroups protocol stack, built in code: TCP bound to the node's address with a static
 * TCPPING peer list, and the fast failure detection measured in STACK.md (FD_SOCK2 on the
 * same address, FD_ALL3 and VERIFY_SUSPECT2 from {@link org.bladeshare.cluster.ClusterTunables}):
 * with the defaults a dead node leaves the view in well under 2 s, a frozen one in about 2 s.
 */
public final class JGroupsStack {
    private JGroupsStack() {
    }

    /** Protocols bottom (transport) first, as {@code new JChannel(Protocol...)} takes them. */
    public static Protocol[] build(InetSocketAddress bind, List<InetSocketAddress> peers,
                                   org.bladeshare.cluster.ClusterTunables tunables) {
        TCP tcp = new TCP();
        tcp.setBindAddress(bind.getAddress());
        tcp.setBindPort(bind.getPort());
        tcp.setPortRange(0); // exactly this port: a port in use is an error, not a silent move
        tcp.setSockConnTimeout(500);
        // JGroups leaves Nagle's algorithm on: a small message sent while an earlier one is
        // unacknowledged waits for the peer's delayed ACK (up to 40 ms on Linux). Requests and
        // replies here are small and latency-bound (a persistent commit is two round trips).
        tcp.tcpNodelay(true);

        TCPPING ping = new TCPPING();
        ping.setInitialHosts(peers);
        ping.setPortRange(0);

        MERGE3 merge = new MERGE3().setMinInterval(1000).setMaxInterval(3000);

        FD_SOCK2 fdSock = new FD_SOCK2().setBindAddress(bind.getAddress()).setPortRange(50);
        FD_ALL3 fdAll = new FD_ALL3();
        fdAll.setTimeout(tunables.failureTimeout().toMillis());
        fdAll.setInterval(tunables.heartbeat().toMillis());
        VERIFY_SUSPECT2 verify = new VERIFY_SUSPECT2().setTimeout(tunables.verifySuspect().toMillis());

        NAKACK2 nakack = new NAKACK2();
        nakack.useMcastXmit(false);
        GMS gms = new GMS().setJoinTimeout(tunables.joinTimeout().toMillis()).printLocalAddress(false);

        return new Protocol[]{tcp, ping, merge, fdSock, fdAll, verify, new BARRIER(), nakack,
                new UNICAST3(), new STABLE(), gms, new MFC(), new UFC(), new FRAG2()};
    }
}
