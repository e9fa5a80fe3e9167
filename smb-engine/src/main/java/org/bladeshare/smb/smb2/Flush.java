package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 FLUSH ([MS-SMB2] 2.2.17, 2.2.18). */
public final class Flush {
    private Flush() {
    }

    public record Request(FileId fileId) {
        public static final int STRUCTURE_SIZE = 24;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "FLUSH");
            msg.skipBytes(6);
            return new Request(FileId.decode(msg));
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeZero(6);
            fileId.encode(out);
        }
    }
}
