package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2_FILEID ([MS-SMB2] 2.2.14.1). All-ones marks "the file of the previous related request". */
public record FileId(long persistent, long volatileId) {
    public static final FileId RELATED = new FileId(-1L, -1L);
    public static final FileId ZERO = new FileId(0, 0);

    public static FileId decode(ByteBuf in) {
        return new FileId(in.readLongLE(), in.readLongLE());
    }

    public void encode(ByteBuf out) {
        out.writeLongLE(persistent);
        out.writeLongLE(volatileId);
    }

    public boolean isRelated() {
        return persistent == -1L && volatileId == -1L;
    }
}
