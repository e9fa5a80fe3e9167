package org.bladeshare.cluster;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * How one node joins the cluster.
 *
 * @param nodeName    the node's name as administrators see it ("blade1")
 * @param bind        address and port this node's cluster transport listens on
 * @param peers       every node of the cluster, this one included, in the same order on every
 *                    node: a node's PNN (physical node number, as in CTDB) is its index here
 * @param dataDir     node-local state (MapDB files) lives below this directory
 * @param sharedDir   the cluster filesystem every node mounts (the recovery lock lives here)
 */
public record ClusterConfig(String nodeName, InetSocketAddress bind, List<InetSocketAddress> peers,
                            Path dataDir, Path sharedDir) {
    public ClusterConfig {
        peers = List.copyOf(peers);
    }
}
