package org.bladeshare.cluster.membership;

/**
 * One node as the cluster sees it, like a row of {@code ctdb status}.
 *
 * @param pnn         physical node number (index in the peer list)
 * @param name        node name, or the address when the node was never seen
 * @param address     the node's cluster address, "host:port"
 * @param state       its state
 * @param coordinator whether it coordinates the cluster (runs recovery)
 * @param self        whether this is the node answering
 */
public record NodeStatus(int pnn, String name, String address, NodeState state,
                         boolean coordinator, boolean self) {
}
