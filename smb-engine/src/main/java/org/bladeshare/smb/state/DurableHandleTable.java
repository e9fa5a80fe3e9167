package org.bladeshare.smb.state;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Durable handles, one record per handle keyed by {@link DurableKey} (CreateGuid for v2, persistent
 * id for v1): the port of CREATE's DHnQ/DH2Q/DHnC/DH2C contexts, CLOSE and connection loss. In a
 * cluster it belongs in a persistent database, so a handle outlives the blade that granted it.
 */
public interface DurableHandleTable {

    /** Records a new durable open; STATUS_DUPLICATE_OBJECTID when its key is already in use. */
    int register(DurableHandle handle);

    /** Replay detection for a durable v2 create ([MS-SMB2] 3.3.5.9.10). */
    ReplayCheck checkReplay(UUID createGuid, UUID clientGuid, String user, boolean replayFlag);

    /** Validates a reconnect ([MS-SMB2] 3.3.5.9.7 / 3.3.5.9.12) and attaches the handle to the new owner. */
    ReconnectResult reconnect(ReconnectRequest request);

    /** Detaches a handle whose connection was lost; its timeout starts at {@code now}. */
    Optional<DurableHandle> disconnect(DurableKey key, long now);

    /** Detaches every handle of the selected owners (a dropped connection, a dead node). */
    List<DurableHandle> disconnectOwners(OwnerFilter filter, long now);

    /** Removes and returns the disconnected handles past their timeout; the engine closes their opens. */
    List<DurableHandle> expire(long now);

    /** Removes a handle (CLOSE, or durability lost, e.g. its batch oplock was broken). */
    Optional<DurableHandle> remove(DurableKey key);

    Optional<DurableHandle> get(DurableKey key);
}
