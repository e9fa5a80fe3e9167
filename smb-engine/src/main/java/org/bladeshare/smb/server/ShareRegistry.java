package org.bladeshare.smb.server;

import java.util.List;
import java.util.Optional;

/** The engine's port to the share configuration; the appliance backs it with the cluster's database. */
public interface ShareRegistry {
    /** The share of that name, compared case-insensitively. */
    Optional<ShareConfig> find(String name);

    /** Every configured share. */
    List<ShareConfig> all();
}
