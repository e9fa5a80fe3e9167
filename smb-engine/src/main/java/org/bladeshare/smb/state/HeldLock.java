package org.bladeshare.smb.state;

/** A granted byte-range lock ([MS-FSA] 2.1.1.5 ByteRangeLock): its owning open, range and mode. */
public record HeldLock(OpenOwner owner, LockRange range, boolean exclusive) {
    void write(Bytes.Writer w) {
        owner.write(w);
        w.i64(range.offset()).i64(range.length()).bool(exclusive);
    }

    static HeldLock read(Bytes.Reader r) {
        return new HeldLock(OpenOwner.read(r), new LockRange(r.i64(), r.i64()), r.bool());
    }
}
