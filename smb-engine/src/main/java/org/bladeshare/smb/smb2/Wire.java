package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

/** Small helpers shared by the message codecs. */
public final class Wire {
    private Wire() {
    }

    /** Reads the StructureSize and fails with INVALID_PARAMETER unless it matches and the fixed part is present. */
    public static void expectStructure(ByteBuf msg, int structureSize, String what) {
        int fixed = structureSize & ~1;
        if (msg.readableBytes() < fixed || msg.readUnsignedShortLE() != structureSize) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad " + what + " structure");
        }
    }

    /** Offset of the next byte relative to the start of the message being written. */
    public static int offset(ByteBuf out, int base) {
        return out.writerIndex() - base;
    }

    public static int base(ByteBuf out) {
        return out.writerIndex() - Smb2Header.SIZE;
    }

    public static int readBoundedInt(long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "length out of range");
        }
        return (int) value;
    }

    /** A slice of the message for a (offset, length) pair, validated. */
    public static ByteBuf slice(ByteBuf msg, long offset, long length) {
        Utf16.checkRange(msg, offset, length);
        return msg.slice((int) offset, (int) length);
    }
}
