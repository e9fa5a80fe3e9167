package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 QUERY_INFO ([MS-SMB2] 2.2.37, 2.2.38). */
public final class QueryInfo {
    private QueryInfo() {
    }

    public static final int INFO_FILE = 1;
    public static final int INFO_FILESYSTEM = 2;
    public static final int INFO_SECURITY = 3;
    public static final int INFO_QUOTA = 4;

    public record Request(int infoType, int infoClass, long outputBufferLength, byte[] input,
                          int additionalInformation, int flags, FileId fileId) {
        public static final int STRUCTURE_SIZE = 41;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "QUERY_INFO");
            int type = msg.readUnsignedByte();
            int cls = msg.readUnsignedByte();
            long outLen = msg.readUnsignedIntLE();
            int inOff = msg.readUnsignedShortLE();
            msg.skipBytes(2);
            long inLen = msg.readUnsignedIntLE();
            int addl = msg.readIntLE();
            int flags = msg.readIntLE();
            FileId id = FileId.decode(msg);
            byte[] input = inLen == 0 ? new byte[0] : Utf16.copy(msg, inOff, Wire.readBoundedInt(inLen));
            return new Request(type, cls, outLen, input, addl, flags, id);
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeByte(infoType);
            out.writeByte(infoClass);
            out.writeIntLE((int) outputBufferLength);
            out.writeShortLE(input.length == 0 ? 0 : Smb2Header.SIZE + 40);
            out.writeShortLE(0);
            out.writeIntLE(input.length);
            out.writeIntLE(additionalInformation);
            out.writeIntLE(flags);
            fileId.encode(out);
            out.writeBytes(input);
            if (input.length == 0) {
                out.writeByte(0);
            }
        }
    }
}
