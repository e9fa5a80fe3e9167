package org.bladeshare.smb.state;

import java.util.UUID;

/**
 * A durable reconnect (DHnC, [MS-SMB2] 2.2.13.2.4, or DH2C, 2.2.13.2.12): the handle asked for, the
 * reconnecting connection's ClientGuid, the session's user, the lease key of the request's lease
 * context (or null), the CREATE's file name, the new owner, and the time now.
 */
public record ReconnectRequest(DurableKey key, UUID clientGuid, String user, LeaseKey leaseKey, String path,
                               OpenOwner newOwner, long now) {
    public ReconnectRequest {
        if (key == null || clientGuid == null || user == null || path == null || newOwner == null) {
            throw new IllegalArgumentException("reconnect needs a key, client GUID, user, path and new owner");
        }
        if (newOwner.openId() != key.persistentId()) {
            throw new IllegalArgumentException("a reconnected open keeps its persistent id");
        }
    }
}
