package org.bladeshare.appliance;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one node is booted with, validated.
 *
 * @param dataDir      node-local state: databases, TLS certificate, admin socket
 * @param sharedDir    the cluster filesystem every node mounts
 * @param nodeName     the node's name
 * @param bind         client-facing address (SMB and console)
 * @param smbPort      SMB port
 * @param consolePort  HTTPS console port
 * @param clusterBind  this node's cluster transport address
 * @param peers        every node's cluster address, this one's included, in PNN order
 * @param platform     "linux", "simulated" or "auto"
 * @param smbWarmUp    run the SMB data path once after start (DataPathWarmUp)
 */
public record NodeSettings(Path dataDir, Path sharedDir, String nodeName, InetAddress bind, int smbPort,
                           int consolePort, InetSocketAddress clusterBind, List<InetSocketAddress> peers,
                           String platform, boolean smbWarmUp) {
    public NodeSettings {
        peers = List.copyOf(peers);
    }

    /** This node's PNN: its place in the peer list. */
    public int pnn() {
        return peers.indexOf(clusterBind);
    }

    public String bindHost() {
        return bind.getHostAddress();
    }
}
