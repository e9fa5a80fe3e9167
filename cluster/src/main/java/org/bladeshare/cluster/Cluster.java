package org.bladeshare.cluster;

import org.bladeshare.cluster.bus.MessageBus;
import org.bladeshare.cluster.db.PersistentDb;
import org.bladeshare.cluster.db.ReplicatedDb;
import org.bladeshare.cluster.db.VolatileDb;
import org.bladeshare.cluster.membership.NodeStatus;

import java.time.Duration;
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

    /** Attaches (creating on first use) the named volatile database (CTDB semantics). */
    VolatileDb volatileDb(String name);

    /** Attaches (creating on first use) the named replicated key/value database. */
    ReplicatedDb replicated(String name);

    /** Names of every database attached on this node (persistent, volatile, replicated), sorted. */
    List<String> databases();

    /** Messages to services on other nodes, by service id. */
    MessageBus bus();

    /** {@code ctdb disable}: this node stays a member but serves no public IPs. */
    void disable();

    /** {@code ctdb enable}: undoes {@link #disable()}. */
    void enable();

    /** {@code ctdb stop}: this node takes part in nothing until {@link #cont()}. */
    void stop();

    /** {@code ctdb continue}: undoes {@link #stop()}. */
    void cont();

    /** {@code ctdb ban}: this node is inactive for the given time (1 s to 1 day). */
    void ban(Duration duration);

    /** {@code ctdb unban}: ends a ban now. */
    void unban();

    /**
     * The node's monitor result: false marks this node UNHEALTHY cluster-wide (it keeps its
     * databases but should host no public IPs), true clears it.
     */
    void reportHealth(boolean healthy);

    /**
     * Whether this node serves: its databases are thawed in a recovery generation. A node on
     * the side of a partition without the recovery lock does not serve.
     */
    boolean serving();

    /** Whether this node holds the recovery lock (it coordinates the serving side). */
    boolean holdsRecoveryLock();

    /** Leaves the cluster cleanly and closes the local databases. */
    @Override
    void close();
}
