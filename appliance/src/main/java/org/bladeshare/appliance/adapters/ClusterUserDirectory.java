package org.bladeshare.appliance.adapters;

import org.bladeshare.appliance.config.UserStore;
import org.bladeshare.smb.auth.UserDirectory;

import java.util.Optional;

/** The SMB engine's user port, answered from the cluster's persistent {@code users} database. */
public final class ClusterUserDirectory implements UserDirectory {
    private final UserStore users;

    public ClusterUserDirectory(UserStore users) {
        this.users = users;
    }

    @Override
    public Optional<byte[]> ntHash(String userName) {
        return users.ntHash(userName);
    }
}
