package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 READ ([MS-SMB2] 2.2.19, 2.2.20). */
public final class Read {
    private Read() {
    }

    public record Request(int flags, long length, long offset, FileId fileId, long minimumCount, int channel) {
        public static final int STRUCTURE_SIZE = 49;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "READ");
            msg.skipBytes(1);
            int flags = msg.readUnsignedByte();
            long length = msg.readUnsignedIntLE();
            long offset = msg.readLongLE();
            FileId id = FileId.decode(msg);
            long min = msg.readUnsignedIntLE();
            int channel = msg.readIntLE();
            return new Request(flags, length, offset, id, min, channel);
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeByte(0);
            out.writeByte(flags);
            out.writeIntLE((int) length);
            out.writeLongLE(offset);
            fileId.encode(out);
            out.writeIntLE((int) minimumCount);
            out.writeIntLE(channel);
            out.writeIntLE(0);
            out.writeShortLE(0);
            out.writeShortLE(0);
            out.writeByte(0);
        }
    }

    /** Header of the READ response; the data follows at offset 80 and is written by the caller. */
    public static final int RESPONSE_STRUCTURE_SIZE = 17;
    public static final int DATA_OFFSET = Smb2Header.SIZE + 16;

    public static void encodeResponseHeader(ByteBuf out, int dataLength) {
        out.writeShortLE(RESPONSE_STRUCTURE_SIZE);
        out.writeByte(DATA_OFFSET);
        out.writeByte(0);
        out.writeIntLE(dataLength);
        out.writeIntLE(0);
        out.writeIntLE(0);
    }
}
