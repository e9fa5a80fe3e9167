package org.bladeshare.smb.state;

/**
 * One open of a file in its share-mode record ([MS-SMB2] 3.3.1.10, [MS-FSA] 2.1.1.6 Open):
 * granted access, share access, delete-on-close, the oplock level (or {@link OplockLevel#LEASE}
 * with its lease key), and an oplock break in progress as data ({@code breakingTo} and the
 * deadline after which the server proceeds; {@link #NOT_BREAKING} when none).
 */
public record OpenEntry(OpenOwner owner, int access, int shareAccess, boolean deleteOnClose, int oplockLevel,
                        LeaseKey leaseKey, int breakingTo, long breakDeadline) {
    public static final int NOT_BREAKING = -1;

    public OpenEntry {
        if (owner == null) {
            throw new IllegalArgumentException("open needs an owner");
        }
        if ((shareAccess & ~ShareAccess.ALL) != 0) {
            throw new IllegalArgumentException("bad share access 0x" + Integer.toHexString(shareAccess));
        }
        if (!OplockLevel.isValid(oplockLevel)) {
            throw new IllegalArgumentException("bad oplock level " + oplockLevel);
        }
        if ((oplockLevel == OplockLevel.LEASE) != (leaseKey != null)) {
            throw new IllegalArgumentException("a lease key goes with oplock level LEASE and only with it");
        }
    }

    /** A new open with no oplock and no break in progress. */
    public static OpenEntry of(OpenOwner owner, int access, int shareAccess) {
        return new OpenEntry(owner, access, shareAccess, false, OplockLevel.NONE, null, NOT_BREAKING, 0);
    }

    public OpenEntry withOplock(int level) {
        return new OpenEntry(owner, access, shareAccess, deleteOnClose, level, null, NOT_BREAKING, 0);
    }

    public OpenEntry withLease(LeaseKey key) {
        return new OpenEntry(owner, access, shareAccess, deleteOnClose, OplockLevel.LEASE, key, NOT_BREAKING, 0);
    }

    public OpenEntry withDeleteOnClose(boolean value) {
        return new OpenEntry(owner, access, shareAccess, value, oplockLevel, leaseKey, breakingTo, breakDeadline);
    }

    OpenEntry withOwner(OpenOwner o) {
        return new OpenEntry(o, access, shareAccess, deleteOnClose, oplockLevel, leaseKey, breakingTo, breakDeadline);
    }

    OpenEntry breaking(int to, long deadline) {
        return new OpenEntry(owner, access, shareAccess, deleteOnClose, oplockLevel, leaseKey, to, deadline);
    }

    public long openId() {
        return owner.openId();
    }

    public boolean isBreaking() {
        return breakingTo != NOT_BREAKING;
    }

    void write(Bytes.Writer w) {
        owner.write(w);
        w.i32(access).i32(shareAccess).bool(deleteOnClose).u8(oplockLevel).bool(leaseKey != null);
        if (leaseKey != null) {
            leaseKey.write(w);
        }
        w.i32(breakingTo).i64(breakDeadline);
    }

    static OpenEntry read(Bytes.Reader r) {
        OpenOwner owner = OpenOwner.read(r);
        int access = r.i32();
        int share = r.i32();
        boolean doc = r.bool();
        int oplock = r.u8();
        LeaseKey lease = r.bool() ? LeaseKey.read(r) : null;
        int breakingTo = r.i32();
        long deadline = r.i64();
        try {
            return new OpenEntry(owner, access, share, doc, oplock, lease, breakingTo, deadline);
        } catch (IllegalArgumentException e) {
            throw new StateCodecException("OpenEntry: " + e.getMessage());
        }
    }
}
