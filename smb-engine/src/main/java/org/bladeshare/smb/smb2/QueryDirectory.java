package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 QUERY_DIRECTORY ([MS-SMB2] 2.2.33, 2.2.34). */
public final class QueryDirectory {
    private QueryDirectory() {
    }

    public static final int RESTART_SCANS = 0x01;
    public static final int RETURN_SINGLE_ENTRY = 0x02;
    public static final int INDEX_SPECIFIED = 0x04;
    public static final int REOPEN = 0x10;

    public record Request(int infoClass, int flags, long fileIndex, FileId fileId, String pattern,
                          long outputBufferLength) {
        public static final int STRUCTURE_SIZE = 33;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "QUERY_DIRECTORY");
            int cls = msg.readUnsignedByte();
            int flags = msg.readUnsignedByte();
            long index = msg.readUnsignedIntLE();
            FileId id = FileId.decode(msg);
            int nameOff = msg.readUnsignedShortLE();
            int nameLen = msg.readUnsignedShortLE();
            long outLen = msg.readUnsignedIntLE();
            return new Request(cls, flags, index, id, Utf16.read(msg, nameOff, nameLen), outLen);
        }

        public void encode(ByteBuf out) {
            byte[] p = Utf16.bytes(pattern);
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeByte(infoClass);
            out.writeByte(flags);
            out.writeIntLE((int) fileIndex);
            fileId.encode(out);
            out.writeShortLE(Smb2Header.SIZE + 32);
            out.writeShortLE(p.length);
            out.writeIntLE((int) outputBufferLength);
            out.writeBytes(p);
            if (p.length == 0) {
                out.writeByte(0);
            }
        }
    }

    /** The response shape shared by QUERY_DIRECTORY, QUERY_INFO and CHANGE_NOTIFY: offset, length, data. */
    public static void encodeResponse(ByteBuf out, ByteBuf data) {
        out.writeShortLE(9);
        out.writeShortLE(data.readableBytes() == 0 ? 0 : Smb2Header.SIZE + 8);
        out.writeIntLE(data.readableBytes());
        if (data.readableBytes() == 0) {
            out.writeByte(0);
        } else {
            out.writeBytes(data);
        }
    }

    public static ByteBuf decodeResponse(ByteBuf msg) {
        Wire.expectStructure(msg, 9, "output buffer response");
        int off = msg.readUnsignedShortLE();
        long len = msg.readUnsignedIntLE();
        return len == 0 ? msg.slice(0, 0) : Wire.slice(msg, off, len);
    }
}
