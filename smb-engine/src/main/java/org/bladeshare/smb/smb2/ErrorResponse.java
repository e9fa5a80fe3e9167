package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 ERROR response body ([MS-SMB2] 2.2.2): no error contexts, one zero byte of data. */
public final class ErrorResponse {
    private ErrorResponse() {
    }

    public static final int STRUCTURE_SIZE = 9;

    public static void encode(ByteBuf out) {
        out.writeShortLE(STRUCTURE_SIZE);
        out.writeByte(0);
        out.writeByte(0);
        out.writeIntLE(0);
        out.writeByte(0);
    }
}
