package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 SET_INFO ([MS-SMB2] 2.2.39, 2.2.40). */
public final class SetInfo {
    private SetInfo() {
    }

    public record Request(int infoType, int infoClass, byte[] buffer, int additionalInformation, FileId fileId) {
        public static final int STRUCTURE_SIZE = 33;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "SET_INFO");
            int type = msg.readUnsignedByte();
            int cls = msg.readUnsignedByte();
            long len = msg.readUnsignedIntLE();
            int off = msg.readUnsignedShortLE();
            msg.skipBytes(2);
            int addl = msg.readIntLE();
            FileId id = FileId.decode(msg);
            return new Request(type, cls, Utf16.copy(msg, off, Wire.readBoundedInt(len)), addl, id);
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeByte(infoType);
            out.writeByte(infoClass);
            out.writeIntLE(buffer.length);
            out.writeShortLE(Smb2Header.SIZE + 32);
            out.writeShortLE(0);
            out.writeIntLE(additionalInformation);
            fileId.encode(out);
            out.writeBytes(buffer);
        }
    }

    public static final int RESPONSE_STRUCTURE_SIZE = 2;

    public static void encodeResponse(ByteBuf out) {
        out.writeShortLE(RESPONSE_STRUCTURE_SIZE);
    }
}
