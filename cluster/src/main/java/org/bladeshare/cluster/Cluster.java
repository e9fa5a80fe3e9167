package org.bladeshare.cluster;

import org.bladeshare.cluster.db.PersistentDb;
import org.bladeshare.cluster.membership.NodeStatus;

import java.util.List;

/**
 * One node's view of, and membership in, the cluster: the state store every other module
 * uses through the appliance. Start one with {@link ClusterNode#start(ClusterConfig)}.
 */
public interface Cluster extends AutoCloseable {
    /** This node's physical node number. */
    int pnn();

    /** Every node of the configured cluster, in PNN order, with its current state. */
    List<NodeStatus> nodes();

    /** Attaches (creating on first use) the named persistent database. */
    PersistentDb persistent(String name);

    /** Leaves the cluster cleanly and closes the local databases. */
    @Override
    void close();
}
