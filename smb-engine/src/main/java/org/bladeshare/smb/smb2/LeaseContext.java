package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

/**
 * The "RqLs" create context ([MS-SMB2] 2.2.13.2.8 v1, 2.2.13.2.10 v2; responses 2.2.14.2.10/11):
 * lease key, state, flags, and for v2 the parent lease key and epoch. The version is told by the size.
 */
public record LeaseContext(int version, byte[] leaseKey, int state, int flags, byte[] parentLeaseKey, int epoch) {
    public static final String NAME = "RqLs";
    public static final int V1_SIZE = 32;
    public static final int V2_SIZE = 52;
    /** SMB2_LEASE_FLAG_BREAK_IN_PROGRESS (response) and SMB2_LEASE_FLAG_PARENT_LEASE_KEY_SET (v2). */
    public static final int FLAG_BREAK_IN_PROGRESS = 0x02;
    public static final int FLAG_PARENT_LEASE_KEY_SET = 0x04;

    public LeaseContext {
        if (leaseKey == null || leaseKey.length != 16 || (parentLeaseKey != null && parentLeaseKey.length != 16)) {
            throw new IllegalArgumentException("lease keys are 16 bytes");
        }
        leaseKey = leaseKey.clone();
        parentLeaseKey = parentLeaseKey == null ? null : parentLeaseKey.clone();
    }

    @Override
    public byte[] leaseKey() {
        return leaseKey.clone();
    }

    public static LeaseContext decode(byte[] data) {
        if (data.length != V1_SIZE && data.length < V2_SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad RqLs size " + data.length);
        }
        ByteBuf in = Unpooled.wrappedBuffer(data);
        byte[] key = new byte[16];
        in.readBytes(key);
        int state = in.readIntLE();
        int flags = in.readIntLE();
        in.skipBytes(8); // LeaseDuration
        if (data.length == V1_SIZE) {
            return new LeaseContext(1, key, state, flags, null, 0);
        }
        byte[] parent = new byte[16];
        in.readBytes(parent);
        int epoch = in.readUnsignedShortLE();
        return new LeaseContext(2, key, state, flags, parent, epoch);
    }

    public byte[] encode() {
        ByteBuf out = Unpooled.buffer(V2_SIZE);
        out.writeBytes(leaseKey);
        out.writeIntLE(state);
        out.writeIntLE(flags);
        out.writeLongLE(0);
        if (version >= 2) {
            out.writeBytes(parentLeaseKey == null ? new byte[16] : parentLeaseKey);
            out.writeShortLE(epoch);
            out.writeShortLE(0);
        }
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return b;
    }
}
