package org.bladeshare.cluster.bus;

/**
 * Messages between services on different nodes, addressed by service id (CTDB's
 * {@code ctdb_client_send_message} by SRVID), e.g. the SMB engine's oplock and lease breaks
 * for an open on another node. Delivery is one-way, in order per sender, and lost if the
 * target leaves the cluster.
 */
public interface MessageBus {
    /** A service's handler; it runs on the cluster's delivery thread, so it must not block. */
    @FunctionalInterface
    interface Listener {
        void onMessage(int fromPnn, byte[] payload);
    }

    /** Sends to the service on one node (this node included). */
    void send(int pnn, String service, byte[] payload);

    /** Sends to the service on every member, this node included. */
    void broadcast(String service, byte[] payload);

    /** Registers this node's handler for a service id; closing the handle unregisters it. */
    AutoCloseable register(String service, Listener listener);
}
