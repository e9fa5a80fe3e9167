package org.bladeshare.smb.state;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Big-endian record encoding shared by every stored value; decoding checks every length it reads. */
final class Bytes {
    private Bytes() {
    }

    /** Upper bound on counts and string lengths in a record, so a corrupt length cannot allocate gigabytes. */
    static final int MAX_COUNT = 1 << 20;

    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer bool(boolean v) {
            return u8(v ? 1 : 0);
        }

        Writer i32(int v) {
            for (int s = 24; s >= 0; s -= 8) {
                out.write(v >>> s);
            }
            return this;
        }

        Writer i64(long v) {
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (v >>> s));
            }
            return this;
        }

        Writer uuid(UUID v) {
            return i64(v.getMostSignificantBits()).i64(v.getLeastSignificantBits());
        }

        Writer str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            out.writeBytes(b);
            return this;
        }

        Writer raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    static final class Reader {
        private final ByteBuffer in;
        private final String what;

        Reader(byte[] data, String what) {
            if (data == null) {
                throw new StateCodecException(what + ": no data");
            }
            this.in = ByteBuffer.wrap(data);
            this.what = what;
        }

        private void need(int n) {
            if (in.remaining() < n) {
                throw new StateCodecException(what + ": truncated at byte " + in.position());
            }
        }

        int u8() {
            need(1);
            return in.get() & 0xFF;
        }

        boolean bool() {
            int v = u8();
            if (v > 1) {
                throw new StateCodecException(what + ": bad boolean " + v);
            }
            return v == 1;
        }

        int i32() {
            need(4);
            return in.getInt();
        }

        long i64() {
            need(8);
            return in.getLong();
        }

        UUID uuid() {
            return new UUID(i64(), i64());
        }

        int count() {
            int n = i32();
            if (n < 0 || n > MAX_COUNT || n > in.remaining()) {
                throw new StateCodecException(what + ": bad count " + n);
            }
            return n;
        }

        String str() {
            int n = count();
            byte[] b = new byte[n];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        byte[] raw(int n) {
            need(n);
            byte[] b = new byte[n];
            in.get(b);
            return b;
        }

        void version(int expected) {
            int v = u8();
            if (v != expected) {
                throw new StateCodecException(what + ": unknown version " + v);
            }
        }

        void end() {
            if (in.hasRemaining()) {
                throw new StateCodecException(what + ": " + in.remaining() + " trailing bytes");
            }
        }
    }
}
