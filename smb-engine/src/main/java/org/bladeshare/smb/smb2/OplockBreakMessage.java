package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

/**
 * SMB2 OPLOCK_BREAK messages ([MS-SMB2] 2.2.23, 2.2.24, 2.2.25): the oplock form (notification,
 * acknowledgement and response share one 24-byte layout) and the lease forms.
 */
public final class OplockBreakMessage {
    private OplockBreakMessage() {
    }

    /** MessageId of a server-initiated break notification ([MS-SMB2] 3.3.4.6). */
    public static final long NOTIFICATION_MESSAGE_ID = -1L;
    public static final int OPLOCK_SIZE = 24;
    public static final int LEASE_NOTIFICATION_SIZE = 44;
    public static final int LEASE_ACK_SIZE = 36;
    /** SMB2_NOTIFY_BREAK_LEASE_FLAG_ACK_REQUIRED ([MS-SMB2] 2.2.23.2). */
    public static final int LEASE_FLAG_ACK_REQUIRED = 0x01;

    /** The StructureSize of a client's OPLOCK_BREAK, telling an oplock from a lease acknowledgement. */
    public static int structureSize(ByteBuf body) {
        if (body.readableBytes() < 2) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "OPLOCK_BREAK too short");
        }
        return body.getUnsignedShortLE(body.readerIndex());
    }

    /** Oplock break notification, acknowledgement or response (2.2.23.1, 2.2.24.1, 2.2.25.1). */
    public record Oplock(int level, FileId fileId) {
        public static Oplock decode(ByteBuf in) {
            if (in.readableBytes() < OPLOCK_SIZE || in.readUnsignedShortLE() != OPLOCK_SIZE) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad oplock break size");
            }
            int level = in.readUnsignedByte();
            in.skipBytes(5);
            return new Oplock(level, FileId.decode(in));
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(OPLOCK_SIZE);
            out.writeByte(level);
            out.writeZero(5);
            fileId.encode(out);
        }
    }

    /** Lease break notification (2.2.23.2). */
    public record LeaseNotification(int newEpoch, int flags, byte[] leaseKey, int currentState, int newState) {
        public void encode(ByteBuf out) {
            out.writeShortLE(LEASE_NOTIFICATION_SIZE);
            out.writeShortLE(newEpoch);
            out.writeIntLE(flags);
            out.writeBytes(leaseKey, 0, 16);
            out.writeIntLE(currentState);
            out.writeIntLE(newState);
            out.writeZero(12); // BreakReason, AccessMaskHint, ShareMaskHint
        }

        public static LeaseNotification decode(ByteBuf in) {
            if (in.readableBytes() < LEASE_NOTIFICATION_SIZE || in.readUnsignedShortLE() != LEASE_NOTIFICATION_SIZE) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad lease break size");
            }
            int epoch = in.readUnsignedShortLE();
            int flags = in.readIntLE();
            byte[] key = new byte[16];
            in.readBytes(key);
            int current = in.readIntLE();
            int next = in.readIntLE();
            in.skipBytes(12);
            return new LeaseNotification(epoch, flags, key, current, next);
        }
    }

    /** Lease break acknowledgement and response (2.2.24.2, 2.2.25.2). */
    public record LeaseAck(int flags, byte[] leaseKey, int state) {
        public static LeaseAck decode(ByteBuf in) {
            if (in.readableBytes() < LEASE_ACK_SIZE || in.readUnsignedShortLE() != LEASE_ACK_SIZE) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad lease acknowledgement size");
            }
            in.skipBytes(2);
            int flags = in.readIntLE();
            byte[] key = new byte[16];
            in.readBytes(key);
            int state = in.readIntLE();
            in.skipBytes(8);
            return new LeaseAck(flags, key, state);
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(LEASE_ACK_SIZE);
            out.writeShortLE(0);
            out.writeIntLE(flags);
            out.writeBytes(leaseKey, 0, 16);
            out.writeIntLE(state);
            out.writeLongLE(0);
        }
    }
}
