package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 TREE_CONNECT ([MS-SMB2] 2.2.9, 2.2.10). */
public final class TreeConnect {
    private TreeConnect() {
    }

    public static final int SHARE_TYPE_DISK = 0x01;
    public static final int SHARE_TYPE_PIPE = 0x02;
    public static final int SHAREFLAG_ENCRYPT_DATA = 0x00008000;
    public static final int SHAREFLAG_NO_CACHING = 0x00000030;
    public static final int FLAG_EXTENSION_PRESENT = 0x0004;

    public record Request(int flags, String path) {
        public static final int STRUCTURE_SIZE = 9;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "TREE_CONNECT");
            int flags = msg.readUnsignedShortLE();
            int off = msg.readUnsignedShortLE();
            int len = msg.readUnsignedShortLE();
            if ((flags & FLAG_EXTENSION_PRESENT) != 0) {
                // [MS-SMB2] 2.2.9.1: the path is described inside the extension.
                int extStart = msg.readerIndex();
                Utf16.checkRange(msg, extStart, 16);
                long pathOff = msg.getUnsignedIntLE(extStart + 4);
                int pathLen = msg.getUnsignedShortLE(extStart + 12);
                return new Request(flags, Utf16.read(msg, (int) (extStart - 8 + pathOff), pathLen));
            }
            return new Request(flags, Utf16.read(msg, off, len));
        }

        public void encode(ByteBuf out) {
            byte[] p = Utf16.bytes(path);
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(0);
            out.writeShortLE(Smb2Header.SIZE + 8);
            out.writeShortLE(p.length);
            out.writeBytes(p);
        }
    }

    public record Response(int shareType, int shareFlags, int capabilities, int maximalAccess) {
        public static final int STRUCTURE_SIZE = 16;

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeByte(shareType);
            out.writeByte(0);
            out.writeIntLE(shareFlags);
            out.writeIntLE(capabilities);
            out.writeIntLE(maximalAccess);
        }

        public static Response decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "TREE_CONNECT response");
            int type = msg.readUnsignedByte();
            msg.skipBytes(1);
            return new Response(type, msg.readIntLE(), msg.readIntLE(), msg.readIntLE());
        }
    }
}
