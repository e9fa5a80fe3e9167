package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 SESSION_SETUP ([MS-SMB2] 2.2.5, 2.2.6). */
public final class SessionSetup {
    private SessionSetup() {
    }

    public static final int FLAG_BINDING = 0x01;
    public static final int SESSION_FLAG_IS_GUEST = 0x0001;
    public static final int SESSION_FLAG_IS_NULL = 0x0002;
    public static final int SESSION_FLAG_ENCRYPT_DATA = 0x0004;

    public record Request(int flags, int securityMode, int capabilities, long previousSessionId, byte[] token) {
        public static final int STRUCTURE_SIZE = 25;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "SESSION_SETUP");
            int flags = msg.readUnsignedByte();
            int mode = msg.readUnsignedByte();
            int caps = msg.readIntLE();
            msg.skipBytes(4);
            int off = msg.readUnsignedShortLE();
            int len = msg.readUnsignedShortLE();
            long prev = msg.readLongLE();
            return new Request(flags, mode, caps, prev, Utf16.copy(msg, off, len));
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeByte(flags);
            out.writeByte(securityMode);
            out.writeIntLE(capabilities);
            out.writeIntLE(0);
            out.writeShortLE(Smb2Header.SIZE + 24);
            out.writeShortLE(token.length);
            out.writeLongLE(previousSessionId);
            out.writeBytes(token);
        }
    }

    public record Response(int sessionFlags, byte[] token) {
        public static final int STRUCTURE_SIZE = 9;

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(sessionFlags);
            out.writeShortLE(Smb2Header.SIZE + 8);
            out.writeShortLE(token.length);
            out.writeBytes(token);
            if (token.length == 0) {
                out.writeByte(0);
            }
        }

        public static Response decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "SESSION_SETUP response");
            int flags = msg.readUnsignedShortLE();
            int off = msg.readUnsignedShortLE();
            int len = msg.readUnsignedShortLE();
            return new Response(flags, Utf16.copy(msg, off, len));
        }
    }
}
