package org.bladeshare.smb.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/** NDR 2.0 little-endian marshalling helpers ([C706] 14, [MS-RPCE] 2.2.5). */
public final class Ndr {
    private Ndr() {
    }

    /** A writer with referent ids for unique/full pointers. */
    public static final class Writer {
        final ByteBuf out = org.bladeshare.smb.smb2.HeapBuffers.scratch();
        private int nextReferent = 0x00020000;

        public Writer align(int n) {
            while ((out.writerIndex() % n) != 0) {
                out.writeByte(0);
            }
            return this;
        }

        public Writer u32(long v) {
            align(4);
            out.writeIntLE((int) v);
            return this;
        }

        /** A non-null pointer's referent id; the pointee is written later (deferred). */
        public Writer pointer() {
            return u32(nextReferent += 4);
        }

        public Writer nullPointer() {
            return u32(0);
        }

        /** A conformant varying UTF-16 string with its terminating NUL. */
        public Writer string(String s) {
            int chars = s.length() + 1;
            u32(chars).u32(0).u32(chars);
            out.writeBytes(s.getBytes(StandardCharsets.UTF_16LE));
            out.writeShortLE(0);
            return align(4);
        }

        public byte[] bytes() {
            byte[] b = new byte[out.readableBytes()];
            out.getBytes(0, b);
            return b;
        }
    }

    /** A reader that keeps NDR alignment relative to the start of the stub. */
    public static final class Reader {
        private final ByteBuf in;

        public Reader(byte[] stub) {
            in = Unpooled.wrappedBuffer(stub);
        }

        public Reader align(int n) {
            while ((in.readerIndex() % n) != 0 && in.isReadable()) {
                in.skipBytes(1);
            }
            return this;
        }

        public long u32() {
            align(4);
            if (in.readableBytes() < 4) {
                throw new RpcFault(RpcFault.NCA_S_FAULT_NDR, "stub too short");
            }
            return in.readUnsignedIntLE();
        }

        /** A conformant varying UTF-16 string. */
        public String string() {
            long max = u32();
            long offset = u32();
            long actual = u32();
            if (actual > max || offset != 0 || actual * 2 > in.readableBytes() || actual > 65536) {
                throw new RpcFault(RpcFault.NCA_S_FAULT_NDR, "bad string");
            }
            String s = in.readCharSequence((int) actual * 2, StandardCharsets.UTF_16LE).toString();
            align(4);
            return s.endsWith("\0") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
