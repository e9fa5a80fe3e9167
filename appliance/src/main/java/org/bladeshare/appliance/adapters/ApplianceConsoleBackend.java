package org.bladeshare.appliance.adapters;

import org.bladeshare.appliance.config.AdminCredentials;
import org.bladeshare.appliance.config.ShareStore;
import org.bladeshare.appliance.config.UserStore;
import org.bladeshare.cluster.Cluster;
import org.bladeshare.console.port.ConsoleBackend;
import org.bladeshare.console.port.NodeView;
import org.bladeshare.console.port.ShareView;
import org.bladeshare.console.port.UserView;

import java.util.List;

/** The console's port, answered by the cluster and the appliance's stores. */
public final class ApplianceConsoleBackend implements ConsoleBackend {
    private final Cluster cluster;
    private final AdminCredentials admin;
    private final UserStore users;
    private final ShareStore shares;

    public ApplianceConsoleBackend(Cluster cluster, AdminCredentials admin, UserStore users, ShareStore shares) {
        this.cluster = cluster;
        this.admin = admin;
        this.users = users;
        this.shares = shares;
    }

    @Override
    public boolean authenticate(String user, String password) {
        return admin.check(user, password);
    }

    @Override
    public List<NodeView> nodes() {
        return cluster.nodes().stream()
                .map(n -> new NodeView(n.pnn(), n.name(), n.address(), n.state().name(), n.coordinator()))
                .toList();
    }

    @Override
    public List<ShareView> shares() {
        return shares.list().stream().map(s -> new ShareView(s.name(), s.path(), s.comment(), s.encrypt())).toList();
    }

    @Override
    public List<UserView> users() {
        return users.list().stream().map(u -> new UserView(u.name())).toList();
    }
}
