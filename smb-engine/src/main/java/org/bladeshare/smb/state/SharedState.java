package org.bladeshare.smb.state;

/**
 * The engine's shared-state ports in one value, as the composition root hands them to the server:
 * in-memory for a single node ({@link #inMemory}), clustered when {@code appliance} builds each
 * table over the cluster's databases (e.g. {@code new RecordShareModeTable(volatileStore)}).
 */
public record SharedState(ShareModeTable shareModes, ByteRangeLockTable locks, LeaseTable leases,
                          DurableHandleTable durableHandles, MessageBus bus, SessionLimits limits) {
    public SharedState {
        if (shareModes == null || locks == null || leases == null || durableHandles == null || bus == null
            || limits == null) {
            throw new IllegalArgumentException("every shared-state port is required");
        }
    }

    /** Single-node state: in-memory tables and an in-process bus for node {@code node}. */
    public static SharedState inMemory(int node) {
        return new SharedState(new InMemoryShareModeTable(), new InMemoryByteRangeLockTable(), new InMemoryLeaseTable(),
            new InMemoryDurableHandleTable(), new InMemoryMessageBus(node), SessionLimits.DEFAULT);
    }
}
