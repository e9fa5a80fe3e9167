package org.bladeshare.smb.state;

import java.util.UUID;

/**
 * The identity of a durable handle: the CreateGuid for v2 ([MS-SMB2] 2.2.13.2.11), else the open's
 * persistent file id for v1 (2.2.13.2.3). Persistent ids must be unique across the cluster.
 */
public record DurableKey(long persistentId, UUID createGuid) {
    public static DurableKey v1(long persistentId) {
        return new DurableKey(persistentId, null);
    }

    public static DurableKey v2(long persistentId, UUID createGuid) {
        if (createGuid == null) {
            throw new IllegalArgumentException("a v2 durable handle needs a CreateGuid");
        }
        return new DurableKey(persistentId, createGuid);
    }

    public boolean isV2() {
        return createGuid != null;
    }

    /** The record key: v2 handles are found by CreateGuid, v1 by persistent id. */
    public String key() {
        return isV2() ? "d2:" + createGuid : String.format("d1:%016x", persistentId);
    }
}
