package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

/**
 * A byte range of a file, offset and length both unsigned 64-bit ([MS-SMB2] 2.2.26.1). A range is
 * valid when it ends at or before 2^64 ([MS-FSA] 2.1.5.7: otherwise STATUS_INVALID_LOCK_RANGE);
 * a zero-length range is valid anywhere.
 */
public record LockRange(long offset, long length) {

    public boolean isValid() {
        return length == 0 || Long.compareUnsigned(offset, -length) <= 0;
    }

    /** STATUS_SUCCESS, or STATUS_INVALID_LOCK_RANGE when offset + length wraps past 2^64. */
    public int validate() {
        return isValid() ? NtStatus.SUCCESS : StateStatus.INVALID_LOCK_RANGE;
    }

    /**
     * Whether two valid ranges overlap for locking: they share a byte, or they are the same
     * non-empty range; a zero-length range overlaps a range only strictly inside it (as Windows
     * and Samba's {@code brl_overlap} behave, [MS-FSA] 2.1.5.7).
     */
    public boolean overlaps(LockRange other) {
        if (length != 0 && offset == other.offset && length == other.length) {
            return true;
        }
        return !(atOrAfterEnd(offset, other) || atOrAfterEnd(other.offset, this));
    }

    /** x >= r.offset + r.length in exact arithmetic (r valid, so its end is at most 2^64). */
    private static boolean atOrAfterEnd(long x, LockRange r) {
        return Long.compareUnsigned(x, r.offset) >= 0 && Long.compareUnsigned(x - r.offset, r.length) >= 0;
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(offset) + "+" + Long.toUnsignedString(length);
    }
}
