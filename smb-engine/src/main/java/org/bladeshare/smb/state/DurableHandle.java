package org.bladeshare.smb.state;

import java.util.UUID;

/**
 * A durable open ([MS-SMB2] 3.3.1.10: IsDurable, DurableOwner, DurableOpenTimeout, CreateGuid,
 * ClientGuid, Lease): who owns it, what it opened and how, and where it is now: {@code owner} is the
 * connection it is attached to, or {@code null} once disconnected at {@code disconnectedAt}, after
 * which it is kept for {@code timeoutMillis} ([MS-SMB2] 3.3.7.1).
 */
public record DurableHandle(DurableKey key, UUID clientGuid, String user, FileKey file, String path, int access,
                            int shareAccess, int oplockLevel, LeaseKey leaseKey, long timeoutMillis,
                            OpenOwner owner, long disconnectedAt) {
    private static final int VERSION = 1;

    public DurableHandle {
        if (key == null || clientGuid == null || user == null || file == null || path == null) {
            throw new IllegalArgumentException("durable handle needs a key, client GUID, user, file and path");
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("negative durable timeout");
        }
        if (owner != null && owner.openId() != key.persistentId()) {
            throw new IllegalArgumentException("the owner's open id must be the handle's persistent id");
        }
    }

    public boolean isConnected() {
        return owner != null;
    }

    /** Whether a disconnected handle has outlived its timeout at {@code now}. */
    public boolean isExpired(long now) {
        return owner == null && now - disconnectedAt >= timeoutMillis;
    }

    DurableHandle attach(OpenOwner o) {
        return new DurableHandle(key, clientGuid, user, file, path, access, shareAccess, oplockLevel, leaseKey,
            timeoutMillis, o, 0);
    }

    DurableHandle detach(long now) {
        return new DurableHandle(key, clientGuid, user, file, path, access, shareAccess, oplockLevel, leaseKey,
            timeoutMillis, null, now);
    }

    public byte[] encode() {
        var w = new Bytes.Writer().u8(VERSION).i64(key.persistentId()).bool(key.isV2());
        if (key.isV2()) {
            w.uuid(key.createGuid());
        }
        w.uuid(clientGuid).str(user);
        file.write(w);
        w.str(path).i32(access).i32(shareAccess).u8(oplockLevel).bool(leaseKey != null);
        if (leaseKey != null) {
            leaseKey.write(w);
        }
        w.i64(timeoutMillis).bool(owner != null);
        if (owner != null) {
            owner.write(w);
        }
        return w.i64(disconnectedAt).toBytes();
    }

    public static DurableHandle decode(byte[] data) {
        var r = new Bytes.Reader(data, "DurableHandle");
        r.version(VERSION);
        long pid = r.i64();
        DurableKey key = r.bool() ? DurableKey.v2(pid, r.uuid()) : DurableKey.v1(pid);
        UUID client = r.uuid();
        String user = r.str();
        FileKey file = FileKey.read(r);
        String path = r.str();
        int access = r.i32();
        int share = r.i32();
        int oplock = r.u8();
        LeaseKey lease = r.bool() ? LeaseKey.read(r) : null;
        long timeout = r.i64();
        OpenOwner owner = r.bool() ? OpenOwner.read(r) : null;
        long at = r.i64();
        r.end();
        try {
            return new DurableHandle(key, client, user, file, path, access, share, oplock, lease, timeout, owner, at);
        } catch (IllegalArgumentException e) {
            throw new StateCodecException("DurableHandle: " + e.getMessage());
        }
    }
}
