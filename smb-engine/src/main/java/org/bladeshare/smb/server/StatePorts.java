package org.bladeshare.smb.server;

import org.bladeshare.smb.state.ByteRangeLockTable;
import org.bladeshare.smb.state.DurableHandleTable;
import org.bladeshare.smb.state.InMemoryByteRangeLockTable;
import org.bladeshare.smb.state.InMemoryDurableHandleTable;
import org.bladeshare.smb.state.InMemoryLeaseTable;
import org.bladeshare.smb.state.InMemoryMessageBus;
import org.bladeshare.smb.state.InMemoryShareModeTable;
import org.bladeshare.smb.state.LeaseTable;
import org.bladeshare.smb.state.MessageBus;
import org.bladeshare.smb.state.SessionLimits;
import org.bladeshare.smb.state.ShareModeTable;

/**
 * The shared-state ports the engine serves through: share modes (with oplocks), byte-range locks,
 * leases, durable handles, the message bus that carries breaks to the node holding a client's
 * connection, and per-session limits. A single node uses {@link #inMemory()}; the appliance plugs in
 * tables over the cluster's databases and its cluster bus.
 *
 * @param node this node's id in {@link org.bladeshare.smb.state.OpenOwner}s; must equal {@code bus.localNode()}
 */
public record StatePorts(int node, ShareModeTable shareModes, ByteRangeLockTable locks, LeaseTable leases,
                         DurableHandleTable durableHandles, MessageBus bus, SessionLimits limits) {
    public StatePorts {
        if (shareModes == null || locks == null || leases == null || durableHandles == null || bus == null
            || limits == null) {
            throw new IllegalArgumentException("every shared-state port is required");
        }
        if (bus.localNode() != node) {
            throw new IllegalArgumentException("bus node " + bus.localNode() + " is not this node " + node);
        }
    }

    /**
     * Share modes and locks from the caller, the other ports in memory (a single node's leases,
     * durable handles and bus): the shape before the cluster backs every port.
     */
    public StatePorts(int node, ShareModeTable shareModes, ByteRangeLockTable locks) {
        this(node, shareModes, locks, new InMemoryLeaseTable(), new InMemoryDurableHandleTable(),
            new InMemoryMessageBus(node), SessionLimits.DEFAULT);
    }

    public static StatePorts inMemory() {
        return new StatePorts(0, new InMemoryShareModeTable(), new InMemoryByteRangeLockTable());
    }
}
