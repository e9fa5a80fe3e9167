package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 WRITE ([MS-SMB2] 2.2.21, 2.2.22). The data is a slice of the request message. */
public final class Write {
    private Write() {
    }

    public record Request(long offset, FileId fileId, int channel, int flags, ByteBuf data) {
        public static final int STRUCTURE_SIZE = 49;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "WRITE");
            int dataOff = msg.readUnsignedShortLE();
            long len = msg.readUnsignedIntLE();
            long offset = msg.readLongLE();
            FileId id = FileId.decode(msg);
            int channel = msg.readIntLE();
            msg.skipBytes(8);
            int flags = msg.readIntLE();
            return new Request(offset, id, channel, flags, Wire.slice(msg, dataOff, len));
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(Smb2Header.SIZE + 48);
            out.writeIntLE(data.readableBytes());
            out.writeLongLE(offset);
            fileId.encode(out);
            out.writeIntLE(channel);
            out.writeIntLE(0);
            out.writeShortLE(0);
            out.writeShortLE(0);
            out.writeIntLE(flags);
            out.writeBytes(data, data.readerIndex(), data.readableBytes());
        }
    }

    public record Response(long count) {
        public static final int STRUCTURE_SIZE = 17;

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(0);
            out.writeIntLE((int) count);
            out.writeIntLE(0);
            out.writeShortLE(0);
            out.writeShortLE(0);
        }

        public static Response decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "WRITE response");
            msg.skipBytes(2);
            return new Response(msg.readUnsignedIntLE());
        }
    }
}
