package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/**
 * The four-byte bodies shared by LOGOFF, TREE_DISCONNECT and ECHO requests and responses
 * ([MS-SMB2] 2.2.7, 2.2.8, 2.2.11, 2.2.12, 2.2.28, 2.2.29) and the 2-byte SET_INFO response (2.2.40).
 */
public final class SimpleMessage {
    private SimpleMessage() {
    }

    public static final int STRUCTURE_SIZE = 4;

    public static void decode(ByteBuf msg, String what) {
        Wire.expectStructure(msg, STRUCTURE_SIZE, what);
        msg.skipBytes(2);
    }

    public static void encode(ByteBuf out) {
        out.writeShortLE(STRUCTURE_SIZE);
        out.writeShortLE(0);
    }
}
