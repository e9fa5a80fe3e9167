package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;

/** SMB2 IOCTL ([MS-SMB2] 2.2.31, 2.2.32). */
public final class Ioctl {
    private Ioctl() {
    }

    public static final int FLAG_IS_FSCTL = 0x00000001;

    public record Request(int ctlCode, FileId fileId, byte[] input, long maxInputResponse, long maxOutputResponse,
                          int flags) {
        public static final int STRUCTURE_SIZE = 57;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "IOCTL");
            msg.skipBytes(2);
            int code = msg.readIntLE();
            FileId id = FileId.decode(msg);
            long inOff = msg.readUnsignedIntLE();
            long inLen = msg.readUnsignedIntLE();
            long maxIn = msg.readUnsignedIntLE();
            msg.skipBytes(8); // OutputOffset, OutputCount
            long maxOut = msg.readUnsignedIntLE();
            int flags = msg.readIntLE();
            byte[] input = inLen == 0 ? new byte[0] : Utf16.copy(msg, (int) inOff, Wire.readBoundedInt(inLen));
            return new Request(code, id, input, maxIn, maxOut, flags);
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(0);
            out.writeIntLE(ctlCode);
            fileId.encode(out);
            out.writeIntLE(Smb2Header.SIZE + 56);
            out.writeIntLE(input.length);
            out.writeIntLE((int) maxInputResponse);
            out.writeIntLE(0);
            out.writeIntLE(0);
            out.writeIntLE((int) maxOutputResponse);
            out.writeIntLE(flags);
            out.writeIntLE(0);
            out.writeBytes(input);
        }
    }

    public record Response(int ctlCode, FileId fileId, byte[] output) {
        public static final int STRUCTURE_SIZE = 49;

        public void encode(ByteBuf out) {
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(0);
            out.writeIntLE(ctlCode);
            fileId.encode(out);
            out.writeIntLE(Smb2Header.SIZE + 48);
            out.writeIntLE(0);
            out.writeIntLE(Smb2Header.SIZE + 48);
            out.writeIntLE(output.length);
            out.writeIntLE(0);
            out.writeIntLE(0);
            out.writeBytes(output);
        }

        public static Response decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "IOCTL response");
            msg.skipBytes(2);
            int code = msg.readIntLE();
            FileId id = FileId.decode(msg);
            msg.skipBytes(8);
            long outOff = msg.readUnsignedIntLE();
            long outLen = msg.readUnsignedIntLE();
            return new Response(code, id, Utf16.copy(msg, (int) outOff, Wire.readBoundedInt(outLen)));
        }
    }
}
