package org.bladeshare.smb.auth;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Just enough ASN.1 DER for SPNEGO tokens (RFC 4178): definite lengths, single-byte tags. */
public final class Der {
    private Der() {
    }

    /** One element: its tag, the whole encoding and the value. */
    public record Tlv(int tag, byte[] encoded, byte[] value) {
        public List<Tlv> children() {
            return readAll(value);
        }
    }

    public static Tlv read(byte[] buf, int pos) {
        if (pos + 2 > buf.length) {
            throw new AuthException("truncated DER");
        }
        int tag = buf[pos] & 0xFF;
        int lenByte = buf[pos + 1] & 0xFF;
        int hdr = 2;
        long len;
        if (lenByte < 0x80) {
            len = lenByte;
        } else {
            int n = lenByte & 0x7F;
            if (n == 0 || n > 4 || pos + 2 + n > buf.length) {
                throw new AuthException("bad DER length");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (buf[pos + 2 + i] & 0xFF);
            }
            hdr += n;
        }
        if (pos + hdr + len > buf.length) {
            throw new AuthException("DER element overruns its container");
        }
        int end = (int) (pos + hdr + len);
        return new Tlv(tag, Arrays.copyOfRange(buf, pos, end), Arrays.copyOfRange(buf, pos + hdr, end));
    }

    public static List<Tlv> readAll(byte[] buf) {
        List<Tlv> out = new ArrayList<>();
        int pos = 0;
        while (pos < buf.length) {
            Tlv t = read(buf, pos);
            out.add(t);
            pos += t.encoded().length;
            if (out.size() > 256) {
                throw new AuthException("too many DER elements");
            }
        }
        return out;
    }

    public static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int len = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >>> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
