package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

import java.util.ArrayList;
import java.util.List;

/** SMB2 LOCK ([MS-SMB2] 2.2.26, 2.2.27). */
public final class Lock {
    private Lock() {
    }

    public static final int SHARED = 0x1;
    public static final int EXCLUSIVE = 0x2;
    public static final int UNLOCK = 0x4;
    public static final int FAIL_IMMEDIATELY = 0x10;

    /** One SMB2_LOCK_ELEMENT. */
    public record Element(long offset, long length, int flags) {
    }

    public record Request(int lockSequence, FileId fileId, List<Element> locks) {
        public static final int STRUCTURE_SIZE = 48;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "LOCK");
            int count = msg.readUnsignedShortLE();
            int seq = msg.readIntLE();
            FileId id = FileId.decode(msg);
            if (count == 0 || msg.readableBytes() < count * 24L) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad lock count");
            }
            List<Element> locks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long offset = msg.readLongLE();
                long length = msg.readLongLE();
                int flags = msg.readIntLE();
                msg.skipBytes(4);
                locks.add(new Element(offset, length, flags));
            }
            return new Request(seq, id, List.copyOf(locks));
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(locks.size());
            out.writeIntLE(lockSequence);
            fileId.encode(out);
            for (Element e : locks) {
                out.writeLongLE(e.offset());
                out.writeLongLE(e.length());
                out.writeIntLE(e.flags());
                out.writeIntLE(0);
            }
        }
    }
}
