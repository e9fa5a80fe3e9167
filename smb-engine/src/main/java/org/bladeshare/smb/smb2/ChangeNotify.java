package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 CHANGE_NOTIFY ([MS-SMB2] 2.2.35, 2.2.36); the response shares QUERY_DIRECTORY's shape. */
public final class ChangeNotify {
    private ChangeNotify() {
    }

    public static final int WATCH_TREE = 0x0001;
    public static final int FILTER_FILE_NAME = 0x001;
    public static final int FILTER_DIR_NAME = 0x002;
    public static final int FILTER_ATTRIBUTES = 0x004;
    public static final int FILTER_SIZE = 0x008;
    public static final int FILTER_LAST_WRITE = 0x010;
    public static final int FILTER_LAST_ACCESS = 0x020;
    public static final int FILTER_CREATION = 0x040;
    public static final int FILTER_EA = 0x080;
    public static final int ACTION_ADDED = 1;
    public static final int ACTION_REMOVED = 2;
    public static final int ACTION_MODIFIED = 3;
    public static final int ACTION_RENAMED_OLD_NAME = 4;
    public static final int ACTION_RENAMED_NEW_NAME = 5;

    public record Request(int flags, long outputBufferLength, FileId fileId, int completionFilter) {
        public static final int STRUCTURE_SIZE = 32;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "CHANGE_NOTIFY");
            int flags = msg.readUnsignedShortLE();
            long len = msg.readUnsignedIntLE();
            FileId id = FileId.decode(msg);
            int filter = msg.readIntLE();
            return new Request(flags, len, id, filter);
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(flags);
            out.writeIntLE((int) outputBufferLength);
            fileId.encode(out);
            out.writeIntLE(completionFilter);
            out.writeIntLE(0);
        }
    }
}
