package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

/**
 * The 64-byte SMB2 packet header ([MS-SMB2] 2.2.1). {@code asyncId} is meaningful only when
 * {@link #FLAG_ASYNC} is set, {@code treeId} only when it is not.
 */
public record Smb2Header(int creditCharge, int status, int command, int credits, int flags, int nextCommand,
                         long messageId, long asyncId, int treeId, long sessionId, byte[] signature) {

    public static final int SIZE = 64;
    public static final int PROTOCOL_ID = 0xFE534D42; // 0xFE 'S' 'M' 'B'
    public static final int FLAG_SERVER_TO_REDIR = 0x00000001;
    public static final int FLAG_ASYNC = 0x00000002;
    public static final int FLAG_RELATED = 0x00000004;
    public static final int FLAG_SIGNED = 0x00000008;
    public static final int FLAG_PRIORITY_MASK = 0x00000070;
    public static final int FLAG_DFS = 0x10000000;
    public static final int FLAG_REPLAY = 0x20000000;
    public static final int SIGNATURE_OFFSET = 48;

    public boolean isAsync() {
        return (flags & FLAG_ASYNC) != 0;
    }

    public boolean isRelated() {
        return (flags & FLAG_RELATED) != 0;
    }

    public boolean isSigned() {
        return (flags & FLAG_SIGNED) != 0;
    }

    /** Decodes the header at the reader index of {@code in} and advances past it. */
    public static Smb2Header decode(ByteBuf in) {
        if (in.readableBytes() < SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "short SMB2 header");
        }
        if (in.readInt() != PROTOCOL_ID) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "not an SMB2 header");
        }
        int structureSize = in.readUnsignedShortLE();
        if (structureSize != SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad header structure size");
        }
        int creditCharge = in.readUnsignedShortLE();
        int status = in.readIntLE();
        int command = in.readUnsignedShortLE();
        int credits = in.readUnsignedShortLE();
        int flags = in.readIntLE();
        int next = in.readIntLE();
        long messageId = in.readLongLE();
        long asyncId = 0;
        int treeId = 0;
        if ((flags & FLAG_ASYNC) != 0) {
            asyncId = in.readLongLE();
        } else {
            in.skipBytes(4);
            treeId = in.readIntLE();
        }
        long sessionId = in.readLongLE();
        byte[] sig = new byte[16];
        in.readBytes(sig);
        return new Smb2Header(creditCharge, status, command, credits, flags, next, messageId, asyncId, treeId,
            sessionId, sig);
    }

    /** Writes the header; the signature is written as given (zeroes before signing). */
    public void encode(ByteBuf out) {
        out.writeInt(PROTOCOL_ID);
        out.writeShortLE(SIZE);
        out.writeShortLE(creditCharge);
        out.writeIntLE(status);
        out.writeShortLE(command);
        out.writeShortLE(credits);
        out.writeIntLE(flags);
        out.writeIntLE(nextCommand);
        out.writeLongLE(messageId);
        if ((flags & FLAG_ASYNC) != 0) {
            out.writeLongLE(asyncId);
        } else {
            out.writeIntLE(0);
            out.writeIntLE(treeId);
        }
        out.writeLongLE(sessionId);
        out.writeBytes(signature == null ? new byte[16] : signature);
    }
}
