package org.bladeshare.smb.state;

import java.util.UUID;

/**
 * A lease's identity: the client's ClientGuid and the LeaseKey it chose ([MS-SMB2] 3.3.1.4,
 * LeaseTable per ClientGuid). The key of lease records.
 */
public record LeaseKey(UUID clientGuid, UUID leaseKey) {
    public LeaseKey {
        if (clientGuid == null || leaseKey == null) {
            throw new IllegalArgumentException("lease key needs a client GUID and a lease key");
        }
    }

    public String key() {
        return "l:" + clientGuid + "/" + leaseKey;
    }

    void write(Bytes.Writer w) {
        w.uuid(clientGuid).uuid(leaseKey);
    }

    static LeaseKey read(Bytes.Reader r) {
        return new LeaseKey(r.uuid(), r.uuid());
    }
}
