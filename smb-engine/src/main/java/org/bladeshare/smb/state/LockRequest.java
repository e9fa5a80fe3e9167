package org.bladeshare.smb.state;

/** One element of an SMB2 LOCK request to take a lock ([MS-SMB2] 2.2.26.1): shared or exclusive. */
public record LockRequest(LockRange range, boolean exclusive) {
    public LockRequest {
        if (range == null) {
            throw new IllegalArgumentException("lock request needs a range");
        }
    }

    public static LockRequest exclusive(long offset, long length) {
        return new LockRequest(new LockRange(offset, length), true);
    }

    public static LockRequest shared(long offset, long length) {
        return new LockRequest(new LockRange(offset, length), false);
    }

    void write(Bytes.Writer w) {
        w.i64(range.offset()).i64(range.length()).bool(exclusive);
    }

    static LockRequest read(Bytes.Reader r) {
        return new LockRequest(new LockRange(r.i64(), r.i64()), r.bool());
    }
}
