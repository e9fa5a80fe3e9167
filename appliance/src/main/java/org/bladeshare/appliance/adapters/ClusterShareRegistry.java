package org.bladeshare.appliance.adapters;

import org.bladeshare.appliance.config.ShareRecord;
import org.bladeshare.appliance.config.ShareStore;
import org.bladeshare.smb.server.ShareConfig;
import org.bladeshare.smb.server.ShareRegistry;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The SMB engine's share port, answered from the cluster's persistent {@code shares} database. */
public final class ClusterShareRegistry implements ShareRegistry {
    private final ShareStore shares;

    public ClusterShareRegistry(ShareStore shares) {
        this.shares = shares;
    }

    @Override
    public Optional<ShareConfig> find(String name) {
        return shares.find(name).map(ClusterShareRegistry::toConfig);
    }

    @Override
    public List<ShareConfig> all() {
        return shares.list().stream().map(ClusterShareRegistry::toConfig).toList();
    }

    private static ShareConfig toConfig(ShareRecord r) {
        return new ShareConfig(r.name(), Path.of(r.path()), r.comment(), r.encrypt(), r.readOnly());
    }
}
