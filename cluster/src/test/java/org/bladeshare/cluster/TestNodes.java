package org.bladeshare.cluster;

import org.bladeshare.cluster.membership.NodeState;
import org.bladeshare.cluster.membership.NodeStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Several ClusterNodes in this JVM on loopback ports that were free when chosen. */
public final class TestNodes implements AutoCloseable {
    private final Path root;
    private final List<InetSocketAddress> peers;
    private final ClusterNode[] nodes;

    public TestNodes(Path root, int count) {
        this.root = root;
        this.peers = freePeers(count);
        this.nodes = new ClusterNode[count];
    }

    static List<InetSocketAddress> freePeers(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            List<InetSocketAddress> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, lo);
                held.add(s);
                out.add(new InetSocketAddress(lo, s.getLocalPort()));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    public ClusterConfig config(int pnn) {
        return new ClusterConfig("blade" + (pnn + 1), peers.get(pnn), peers,
                root.resolve("node" + pnn), root.resolve("shared"));
    }

    public ClusterNode start(int pnn) throws IOException {
        return start(pnn, ClusterTunables.DEFAULTS);
    }

    public ClusterNode start(int pnn, ClusterTunables tunables) throws IOException {
        if (nodes[pnn] != null) {
            throw new IllegalStateException("node " + pnn + " is running");
        }
        nodes[pnn] = ClusterNode.start(config(pnn), tunables);
        return nodes[pnn];
    }

    public TestNodes startAll() throws IOException {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
        return this;
    }

    public ClusterNode node(int pnn) {
        return nodes[pnn];
    }

    public void stop(int pnn) {
        if (nodes[pnn] != null) {
            nodes[pnn].close();
            nodes[pnn] = null;
        }
    }

    public List<InetSocketAddress> peers() {
        return peers;
    }

    /** Whether every running node sees exactly the running nodes as members and the others DISCONNECTED. */
    public boolean converged() {
        for (ClusterNode n : nodes) {
            if (n == null) {
                continue;
            }
            List<NodeStatus> table = n.nodes();
            for (int pnn = 0; pnn < nodes.length; pnn++) {
                boolean member = table.get(pnn).state() != NodeState.DISCONNECTED;
                if (member != (nodes[pnn] != null)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Waits until the running nodes see each other; returns milliseconds waited. */
    public long awaitConverged(Duration limit) {
        return Await.until(limit, this::converged, this::describe);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (ClusterNode n : nodes) {
            if (n != null) {
                sb.append("\n  pnn ").append(n.pnn()).append(" sees ").append(n.nodes());
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (int i = nodes.length - 1; i >= 0; i--) {
            stop(i);
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(nodes);
    }
}
