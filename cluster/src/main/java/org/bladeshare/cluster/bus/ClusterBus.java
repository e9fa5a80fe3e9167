package org.bladeshare.cluster.bus;

import org.bladeshare.cluster.ClusterException;
import org.bladeshare.cluster.membership.ViewSnapshot;
import org.bladeshare.cluster.transport.Messenger;
import org.bladeshare.cluster.wire.WireMessage.BusMessage;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** {@link MessageBus} over the cluster's messenger. */
public final class ClusterBus implements MessageBus {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBus.class);

    private final int self;
    private final Messenger messenger;
    private final Supplier<ViewSnapshot> view;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

    public ClusterBus(int self, Messenger messenger, Supplier<ViewSnapshot> view) {
        this.self = self;
        this.messenger = messenger;
        this.view = view;
        messenger.handle(BusMessage.class, true, (from, m) -> {
            deliver(m);
            return null;
        });
    }

    @Override
    public void send(int pnn, String service, byte[] payload) {
        requireService(service);
        ViewSnapshot v = view.get();
        Address to = v == null ? null : v.address(pnn).orElse(null);
        if (to == null) {
            throw new ClusterException("node " + pnn + " is not a member of the cluster");
        }
        transmit(to, new BusMessage(service, self, payload == null ? new byte[0] : payload.clone()));
    }

    @Override
    public void broadcast(String service, byte[] payload) {
        requireService(service);
        ViewSnapshot v = view.get();
        if (v == null) {
            throw new ClusterException("this node is not in the cluster");
        }
        BusMessage m = new BusMessage(service, self, payload == null ? new byte[0] : payload.clone());
        for (Address a : v.addresses().values()) {
            transmit(a, m);
        }
    }

    @Override
    public AutoCloseable register(String service, Listener listener) {
        requireService(service);
        listeners.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(service, List.of()).remove(listener);
    }

    private void transmit(Address to, BusMessage m) {
        try {
            messenger.send(to, m);
        } catch (IOException e) {
            throw new ClusterException("cannot send to service " + m.service() + ": " + e.getMessage(), e);
        }
    }

    private void deliver(BusMessage m) {
        for (Listener l : listeners.getOrDefault(m.service(), List.of())) {
            try {
                l.onMessage(m.from(), m.payload());
            } catch (RuntimeException e) {
                LOG.warn("listener of service {} failed", m.service(), e);
            }
        }
    }

    private static void requireService(String service) {
        if (service == null || service.isEmpty()) {
            throw new IllegalArgumentException("service id must not be empty");
        }
    }
}
