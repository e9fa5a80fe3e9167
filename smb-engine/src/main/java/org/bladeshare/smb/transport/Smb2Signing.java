package org.bladeshare.smb.transport;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.macs.GMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.KeyParameter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/** Message signing ([MS-SMB2] 3.1.4.1): HMAC-SHA256 for 2.x, AES-128-CMAC for 3.x,
 * AES-128-GMAC when 3.1.1 negotiated it. */
public final class Smb2Signing {
    private static final byte[] ZERO16 = new byte[16];

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
            case AES_GMAC -> {
                // BouncyCastle's GMAC hashes as it goes; the JDK's GCM buffers the whole message as
                // AAD (about 2 MB allocated per 1 MiB message, 40 MB/s measured here).
                GMac gmac = new GMac(GCMBlockCipher.newInstance(AESEngine.newInstance()));
                gmac.init(new ParametersWithIV(new KeyParameter(key), gmacNonce(msg, start)));
                feed(msg, start, len, gmac::update);
                byte[] out = new byte[16];
                gmac.doFinal(out, 0);
                yield out;
            }
        };
    }

    /**
     * [MS-SMB2] 3.1.4.1: the AES-GMAC nonce is the MessageId (8 bytes) followed by 4 bytes whose
     * bit 0 says "sent by the server" and bit 1 "a CANCEL request".
     */
    private static byte[] gmacNonce(ByteBuf msg, int start) {
        if (msg.readableBytes() < Smb2Header.SIZE) {
            return new byte[12]; // too short to verify anyway; the MAC simply will not match
        }
        long messageId = msg.getLongLE(start + 24);
        int flags = msg.getIntLE(start + 16);
        int command = msg.getUnsignedShortLE(start + 12);
        int role = (flags & Smb2Header.FLAG_SERVER_TO_REDIR) != 0 ? 1 : 0;
        if (command == org.bladeshare.smb.smb2.Smb2Command.CANCEL) {
            role |= 2;
        }
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (messageId >>> (8 * i));
        }
        nonce[8] = (byte) role;
        return nonce;
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

    /**
     * Copy buffers for direct (off-heap) message parts, shared by all threads: requests run on
     * short-lived virtual threads, so a thread-local buffer would be allocated per request.
     */
    private static final java.util.concurrent.ConcurrentLinkedQueue<byte[]> SCRATCH =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final int SCRATCH_SIZE = 16 * 1024;
    private static final int SCRATCH_KEPT = 64;

    private static void feed(ByteBuf msg, int start, int len, Sink sink) {
        byte[] head = new byte[Math.min(len, Smb2Header.SIZE)];
        msg.getBytes(start, head);
        if (head.length >= Smb2Header.SIZE) {
            Arrays.fill(head, Smb2Header.SIGNATURE_OFFSET, Smb2Header.SIGNATURE_OFFSET + 16, (byte) 0);
        }
        sink.update(head, 0, head.length);
        if (len <= head.length) {
            return;
        }
        // The body is fed in place: heap parts by their backing array, direct parts through a
        // pooled buffer, so signing a large READ or WRITE allocates nothing large.
        for (java.nio.ByteBuffer part : msg.nioBuffers(start + head.length, len - head.length)) {
            if (part.hasArray()) {
                sink.update(part.array(), part.arrayOffset() + part.position(), part.remaining());
            } else {
                byte[] chunk = SCRATCH.poll();
                if (chunk == null) {
                    chunk = new byte[SCRATCH_SIZE];
                }
                try {
                    while (part.hasRemaining()) {
                        int n = Math.min(chunk.length, part.remaining());
                        part.get(chunk, 0, n);
                        sink.update(chunk, 0, n);
                    }
                } finally {
                    if (SCRATCH.size() < SCRATCH_KEPT) {
                        SCRATCH.offer(chunk);
                    }
                }
            }
        }
    }
}
