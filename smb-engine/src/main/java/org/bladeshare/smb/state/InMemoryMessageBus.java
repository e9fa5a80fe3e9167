package org.bladeshare.smb.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The in-process {@link MessageBus}: one node by default, or several in one JVM joined by a
 * {@link Hub} (for tests of cross-node behaviour). Each node delivers on its own thread, in order.
 */
public final class InMemoryMessageBus implements MessageBus {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryMessageBus.class);

    /** Joins in-memory buses of several nodes in one JVM. */
    public static final class Hub {
        private final Map<Integer, InMemoryMessageBus> nodes = new ConcurrentHashMap<>();

        /** Adds a node; its id must be new. */
        public InMemoryMessageBus join(int node) {
            InMemoryMessageBus bus = new InMemoryMessageBus(node, this);
            if (nodes.putIfAbsent(node, bus) != null) {
                bus.close();
                throw new IllegalArgumentException("node " + node + " already joined");
            }
            return bus;
        }
    }

    private final int node;
    private final Hub hub;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final ExecutorService delivery;
    private volatile boolean closed;

    /** A lone node. */
    public InMemoryMessageBus(int node) {
        this(node, null);
    }

    private InMemoryMessageBus(int node, Hub hub) {
        this.node = node;
        this.hub = hub;
        this.delivery = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("bus-" + node + "-", 0).factory());
    }

    @Override
    public int localNode() {
        return node;
    }

    @Override
    public boolean send(BusAddress to, String service, byte[] payload) {
        BusMessage m = new BusMessage(service, node, to.connectionId(), payload);
        InMemoryMessageBus target = to.node() == node ? this : hub == null ? null : hub.nodes.get(to.node());
        return target != null && target.enqueue(m);
    }

    @Override
    public void broadcast(String service, byte[] payload) {
        BusMessage m = new BusMessage(service, node, BusMessage.ALL_CONNECTIONS, payload);
        if (hub == null) {
            enqueue(m);
        } else {
            hub.nodes.values().forEach(b -> b.enqueue(m));
        }
    }

    @Override
    public AutoCloseable subscribe(String service, Listener listener) {
        if (service == null || service.isEmpty() || listener == null) {
            throw new IllegalArgumentException("subscribe needs a service id and a listener");
        }
        listeners.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(service, List.of()).remove(listener);
    }

    private boolean enqueue(BusMessage m) {
        if (closed) {
            return false;
        }
        try {
            delivery.execute(() -> deliver(m));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void deliver(BusMessage m) {
        for (Listener l : listeners.getOrDefault(m.service(), List.of())) {
            try {
                l.onMessage(m);
            } catch (RuntimeException e) {
                LOG.warn("bus listener for {} failed", m.service(), e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (hub != null) {
            hub.nodes.remove(node, this);
        }
        delivery.shutdown();
    }
}
