package org.bladeshare.smb.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** NIST SP800-108 KDF in counter mode with HMAC-SHA256, r = 32, as [MS-SMB2] 3.1.4.2 uses it. */
public final class Kdf {
    private Kdf() {
    }

    /**
     * @param key     Ki, the session key
     * @param label   label including its terminating NUL
     * @param context context (a string with NUL, or the 64-byte preauth hash)
     * @param bits    L, 128 or 256
     */
    public static byte[] derive(byte[] key, byte[] label, byte[] context, int bits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            int bytes = bits / 8;
            byte[] out = new byte[bytes];
            int done = 0;
            for (int i = 1; done < bytes; i++) {
                mac.update(be32(i));
                mac.update(label);
                mac.update((byte) 0);
                mac.update(context);
                mac.update(be32(bits));
                byte[] block = mac.doFinal();
                int n = Math.min(block.length, bytes - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A C string: the ASCII bytes followed by NUL. */
    public static byte[] cstr(String s) {
        byte[] b = Arrays.copyOf(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII), s.length() + 1);
        return b;
    }

    private static byte[] be32(int v) {
        return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
