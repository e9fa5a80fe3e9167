package org.bladeshare.smb.state;

/**
 * Messages to the node that holds a client connection (an oplock or lease break, a lock grant for a
 * waiter on another node), addressed by node id + connection id and service id, like CTDB's
 * {@code ctdb_client_send_message} by SRVID. One-way, in order per sender, lost when the target
 * node leaves. Listeners run on the bus's delivery thread and must not block.
 */
public interface MessageBus extends AutoCloseable {

    @FunctionalInterface
    interface Listener {
        void onMessage(BusMessage message);
    }

    /** This node's id (the {@code node} of the owners it records). */
    int localNode();

    /**
     * Sends to a service on one node, for one connection there; false when the node is not (or no
     * longer) reachable, so the caller can treat the target as gone.
     *
     * @throws IllegalArgumentException for an empty service id or a payload above {@link BusMessage#MAX_PAYLOAD}
     */
    boolean send(BusAddress to, String service, byte[] payload);

    /** Sends to a service on every node, this one included, with {@link BusMessage#ALL_CONNECTIONS}. */
    void broadcast(String service, byte[] payload);

    /** Registers this node's listener for a service; closing the handle unregisters it. */
    AutoCloseable subscribe(String service, Listener listener);

    /** Stops delivery on this node. */
    @Override
    void close();
}
