package org.bladeshare.smb.transport;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/** Message signing ([MS-SMB2] 3.1.4.1): HMAC-SHA256 for 2.x, AES-128-CMAC for 3.x. */
public final class Smb2Signing {
    private static final byte[] ZERO16 = new byte[16];
    private static final int CHUNK = 64 * 1024;

    private Smb2Signing() {
    }

    /** The 16-byte signature of {@code msg} (readable bytes, header first) with the signature field zeroed. */
    public static byte[] compute(SigningAlgorithm alg, byte[] key, ByteBuf msg) {
        int start = msg.readerIndex();
        int len = msg.readableBytes();
        return switch (alg) {
            case HMAC_SHA256 -> {
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(key, "HmacSHA256"));
                    feed(msg, start, len, mac::update);
                    yield Arrays.copyOf(mac.doFinal(), 16);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
            case AES_CMAC -> {
                CMac cmac = new CMac(AESEngine.newInstance());
                cmac.init(new KeyParameter(key));
                feed(msg, start, len, (b, o, l) -> cmac.update(b, o, l));
                byte[] out = new byte[16];
                cmac.doFinal(out, 0);
                yield out;
            }
            case AES_GMAC -> throw new IllegalArgumentException("AES-GMAC signing is not offered");
        };
    }

    /** Sets the SIGNED flag and writes the signature into the message. */
    public static void sign(SigningAlgorithm alg, byte[] key, ByteBuf msg) {
        int start = msg.readerIndex();
        msg.setIntLE(start + 16, msg.getIntLE(start + 16) | Smb2Header.FLAG_SIGNED);
        msg.setBytes(start + Smb2Header.SIGNATURE_OFFSET, ZERO16);
        msg.setBytes(start + Smb2Header.SIGNATURE_OFFSET, compute(alg, key, msg));
    }

    public static boolean verify(SigningAlgorithm alg, byte[] key, ByteBuf msg) {
        byte[] got = new byte[16];
        msg.getBytes(msg.readerIndex() + Smb2Header.SIGNATURE_OFFSET, got);
        return MessageDigest.isEqual(got, compute(alg, key, msg));
    }

    private interface Sink {
        void update(byte[] b, int off, int len);
    }

    private static void feed(ByteBuf msg, int start, int len, Sink sink) {
        byte[] head = new byte[Math.min(len, Smb2Header.SIZE)];
        msg.getBytes(start, head);
        if (head.length >= Smb2Header.SIZE) {
            Arrays.fill(head, Smb2Header.SIGNATURE_OFFSET, Smb2Header.SIGNATURE_OFFSET + 16, (byte) 0);
        }
        sink.update(head, 0, head.length);
        byte[] chunk = new byte[Math.min(CHUNK, Math.max(0, len - head.length))];
        for (int pos = head.length; pos < len; ) {
            int n = Math.min(chunk.length, len - pos);
            msg.getBytes(start + pos, chunk, 0, n);
            sink.update(chunk, 0, n);
            pos += n;
        }
    }
}
