package org.bladeshare.cluster.membership;

/** A node's state, with CTDB's meanings. */
public enum NodeState {
    /** Member of the cluster and serving. */
    OK,
    /** Not reachable: not in the current membership view. */
    DISCONNECTED,
    /** Administratively disabled: a member, but serves no public IPs. */
    DISABLED,
    /** Administratively stopped: takes part in nothing until continued. */
    STOPPED,
    /** Banned for a while after failing recovery repeatedly. */
    BANNED,
    /** Its monitor events fail. */
    UNHEALTHY
}
