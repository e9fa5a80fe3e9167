package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 CLOSE ([MS-SMB2] 2.2.15, 2.2.16). */
public final class Close {
    private Close() {
    }

    public static final int FLAG_POSTQUERY_ATTRIB = 0x0001;

    public record Request(int flags, FileId fileId) {
        public static final int STRUCTURE_SIZE = 24;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "CLOSE");
            int flags = msg.readUnsignedShortLE();
            msg.skipBytes(4);
            return new Request(flags, FileId.decode(msg));
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(flags);
            out.writeIntLE(0);
            fileId.encode(out);
        }
    }

    public record Response(int flags, long creationTime, long lastAccessTime, long lastWriteTime, long changeTime,
                           long allocationSize, long endOfFile, int fileAttributes) {
        public static final int STRUCTURE_SIZE = 60;

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(flags);
            out.writeIntLE(0);
            out.writeLongLE(creationTime);
            out.writeLongLE(lastAccessTime);
            out.writeLongLE(lastWriteTime);
            out.writeLongLE(changeTime);
            out.writeLongLE(allocationSize);
            out.writeLongLE(endOfFile);
            out.writeIntLE(fileAttributes);
        }

        public static Response decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "CLOSE response");
            int flags = msg.readUnsignedShortLE();
            msg.skipBytes(4);
            return new Response(flags, msg.readLongLE(), msg.readLongLE(), msg.readLongLE(), msg.readLongLE(),
                msg.readLongLE(), msg.readLongLE(), msg.readIntLE());
        }
    }
}
