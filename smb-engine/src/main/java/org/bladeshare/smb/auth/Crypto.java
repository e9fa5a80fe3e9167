package org.bladeshare.smb.auth;

import org.bouncycastle.crypto.digests.MD4Digest;
import org.bouncycastle.crypto.engines.RC4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/** The primitives NTLM needs: MD4, MD5, HMAC-MD5, RC4 ([MS-NLMP] 6). */
public final class Crypto {
    private Crypto() {
    }

    /** NT one-way function: MD4(UTF-16LE(password)) ([MS-NLMP] 3.3.1). */
    public static byte[] ntHash(String password) {
        byte[] in = password.getBytes(StandardCharsets.UTF_16LE);
        MD4Digest d = new MD4Digest();
        d.update(in, 0, in.length);
        byte[] out = new byte[16];
        d.doFinal(out, 0);
        return out;
    }

    public static byte[] hmacMd5(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] md5(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stateful RC4 keystream (NTLM sealing handles keep state between messages). */
    public static final class Rc4 {
        private final RC4Engine engine = new RC4Engine();

        public Rc4(byte[] key) {
            engine.init(true, new KeyParameter(key));
        }

        public byte[] apply(byte[] in) {
            byte[] out = new byte[in.length];
            engine.processBytes(in, 0, in.length, out, 0);
            return out;
        }
    }

    public static byte[] rc4(byte[] key, byte[] data) {
        return new Rc4(key).apply(data);
    }
}
