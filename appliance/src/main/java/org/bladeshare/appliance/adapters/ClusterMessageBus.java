package org.bladeshare.appliance.adapters;

import org.bladeshare.cluster.ClusterException;
import org.bladeshare.cluster.Cluster;
import org.bladeshare.cluster.membership.NodeState;
import org.bladeshare.smb.state.BusAddress;
import org.bladeshare.smb.state.BusMessage;
import org.bladeshare.smb.state.MessageBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The SMB engine's message bus over the cluster's (CTDB's SRVID messages). The engine's node
 * id is the PNN plus one, so that 0 never names a node. The connection id and sender travel
 * in {@link BusMessage}'s own envelope.
 */
public final class ClusterMessageBus implements MessageBus {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMessageBus.class);
    private final Cluster cluster;
    private final List<AutoCloseable> registrations = new CopyOnWriteArrayList<>();

    public ClusterMessageBus(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public int localNode() {
        return cluster.pnn() + 1;
    }

    @Override
    public boolean send(BusAddress to, String service, byte[] payload) {
        byte[] envelope = new BusMessage(service, localNode(), to.connectionId(), payload).encode();
        int pnn = to.node() - 1;
        boolean member = cluster.nodes().stream()
                .anyMatch(n -> n.pnn() == pnn && n.state() != NodeState.DISCONNECTED);
        if (!member) {
            return false;
        }
        try {
            cluster.bus().send(pnn, service, envelope);
            return true;
        } catch (ClusterException e) {
            LOG.debug("bus send to node {} failed: {}", to.node(), e.getMessage());
            return false;
        }
    }

    @Override
    public void broadcast(String service, byte[] payload) {
        cluster.bus().broadcast(service, new BusMessage(service, localNode(), BusMessage.ALL_CONNECTIONS, payload).encode());
    }

    @Override
    public AutoCloseable subscribe(String service, Listener listener) {
        AutoCloseable handle = cluster.bus().register(service, (fromPnn, envelope) -> {
            try {
                listener.onMessage(BusMessage.decode(envelope));
            } catch (RuntimeException e) {
                LOG.warn("dropped a malformed {} message from pnn {}: {}", service, fromPnn, e.getMessage());
            }
        });
        registrations.add(handle);
        return () -> {
            registrations.remove(handle);
            handle.close();
        };
    }

    @Override
    public void close() {
        for (AutoCloseable r : registrations) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("closing a bus registration: {}", e.toString());
            }
        }
        registrations.clear();
    }
}
