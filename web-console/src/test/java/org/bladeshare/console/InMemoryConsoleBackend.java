package org.bladeshare.console;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.bladeshare.console.port.ConsoleBackend;
import org.bladeshare.console.port.NodeView;
import org.bladeshare.console.port.ShareView;
import org.bladeshare.console.port.UserView;

/**
 * A stand-in for the appliance: fixed administrator password, node list the test may change
 * while the console runs. Counts authentication calls so tests can see the backend was asked.
 */
final class InMemoryConsoleBackend implements ConsoleBackend {

    static final String ADMIN = "admin";

    private final String adminPassword;
    private final CopyOnWriteArrayList<NodeView> nodes;
    private final List<ShareView> shares;
    private final List<UserView> users;
    final AtomicInteger authentications = new AtomicInteger();
    volatile boolean failing;

    InMemoryConsoleBackend(String adminPassword, List<NodeView> nodes, List<ShareView> shares, List<UserView> users) {
        this.adminPassword = adminPassword;
        this.nodes = new CopyOnWriteArrayList<>(nodes);
        this.shares = List.copyOf(shares);
        this.users = List.copyOf(users);
    }

    /** Three healthy nodes named {@code prefix-0..2} on 198.18.0.1..3, PNN 0 coordinating. */
    static InMemoryConsoleBackend threeNodes(String prefix, String adminPassword) {
        return new InMemoryConsoleBackend(adminPassword,
                List.of(new NodeView(0, prefix + "-0", "198.18.0.1", "OK", true),
                        new NodeView(1, prefix + "-1", "198.18.0.2", "OK", false),
                        new NodeView(2, prefix + "-2", "198.18.0.3", "OK", false)),
                List.of(new ShareView("projects", "/cluster/projects", "Team projects", false),
                        new ShareView("finance", "/cluster/finance", "Ledgers (encrypted)", true)),
                List.of(new UserView("alice"), new UserView("bob")));
    }

    void setNodeState(int pnn, String state) {
        nodes.replaceAll(n -> n.pnn() == pnn ? new NodeView(n.pnn(), n.name(), n.address(), state, n.coordinator()) : n);
    }

    @Override
    public boolean authenticate(String user, String password) {
        authentications.incrementAndGet();
        return ADMIN.equals(user) && adminPassword.equals(password);
    }

    @Override
    public List<NodeView> nodes() {
        if (failing) {
            throw new IllegalStateException("cluster database frozen for recovery");
        }
        return List.copyOf(nodes);
    }

    @Override
    public List<ShareView> shares() {
        return shares;
    }

    @Override
    public List<UserView> users() {
        return users;
    }
}
