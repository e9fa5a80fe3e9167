package org.bladeshare.smb.server;

import org.bladeshare.smb.state.ByteRangeLockTable;
import org.bladeshare.smb.state.InMemoryByteRangeLockTable;
import org.bladeshare.smb.state.InMemoryShareModeTable;
import org.bladeshare.smb.state.ShareModeTable;

/**
 * The shared-state ports the engine serves through: share modes and byte-range locks. A single
 * node uses {@link #inMemory()}; the appliance plugs in tables over the cluster's databases.
 *
 * @param node this node's id in {@link org.bladeshare.smb.state.OpenOwner}s
 */
public record StatePorts(int node, ShareModeTable shareModes, ByteRangeLockTable locks) {
    public static StatePorts inMemory() {
        return new StatePorts(0, new InMemoryShareModeTable(), new InMemoryByteRangeLockTable());
    }
}
