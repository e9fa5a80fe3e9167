package org.bladeshare.smb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Message signing ([MS-SMB2] 3.1.4.1): HMAC-SHA256 for 2.x, AES-128-CMAC for 3.x, AES-128-GMAC
 * when 3.1.1 negotiated it. All three run on the JDK's intrinsics (AES-NI, carry-less multiply,
 * SHA-NI): GMAC is GHASH over the message masked with one AES block ({@link Ghash}), CMAC is a
 * CBC-MAC whose last block is mixed with a subkey ([RFC 4493] 2.4).
 */
public final class Smb2Signing {
    private static final byte[] ZERO16 = new byte[16];
    /** Enough calls for C2 to compile the JDK's GHASH, AES-CBC and SHA-256 loops with their intrinsics. */
    private static final int WARM_UP_CALLS = 20_000;

    static {
        // The JDK's GHASH, AES and SHA-256 loops become their CPU intrinsics only once C2 has
        // compiled them; until then an 8 MiB WRITE hashes at under 100 MB/s. Small messages
        // get them compiled in about 0.1 s, before the first client logs on.
        Thread.ofPlatform().daemon().name("smb-signing-warm-up").start(Smb2Signing::warmUp);
    }

    private Smb2Signing() {
    }

    private static void warmUp() {
        ByteBuf msg = Unpooled.buffer(Smb2Header.SIZE + 32).writeZero(Smb2Header.SIZE + 32);
        byte[] key = new byte[16];
        // GMAC first: what 3.1.1 clients (Windows, smbclient) negotiate
        for (SigningAlgorithm alg : List.of(SigningAlgorithm.AES_GMAC, SigningAlgorithm.AES_CMAC,
            SigningAlgorithm.HMAC_SHA256)) {
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                msg.setLongLE(24, i); // a new MessageId, so a new GMAC nonce
                compute(alg, key, msg);
            }
        }
    }

    /** The 16-byte signature of {@code msg} (readable bytes, header first) with the signature field zeroed. */
    public static byte[] compute(SigningAlgorithm alg, byte[] key, ByteBuf msg) {
        Workspace w = Workspace.take();
        try {
            int len = msg.readableBytes();
            if (alg == SigningAlgorithm.AES_GMAC) {
                return w.gmac(key, gmacNonce(msg, len), msg, len);
            }
            byte[] data = w.copyOf(msg, len);
            return alg == SigningAlgorithm.AES_CMAC ? w.cmac(key, data, len)
                : Arrays.copyOf(w.hmac(key, data, len), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            w.giveBack();
        }
    }

    /**
     * [MS-SMB2] 3.1.4.1: the AES-GMAC nonce is the MessageId (8 bytes) followed by 4 bytes whose
     * bit 0 says "sent by the server" and bit 1 "a CANCEL request".
     */
    private static byte[] gmacNonce(ByteBuf msg, int len) {
        byte[] nonce = new byte[12];
        if (len < Smb2Header.SIZE) {
            return nonce; // too short to verify anyway; the MAC simply will not match
        }
        int start = msg.readerIndex();
        msg.getBytes(start + 24, nonce, 0, 8); // MessageId, little-endian as on the wire
        int role = (msg.getIntLE(start + 16) & Smb2Header.FLAG_SERVER_TO_REDIR) != 0 ? 1 : 0;
        if (msg.getUnsignedShortLE(start + 12) == Smb2Command.CANCEL) {
            role |= 2;
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

    /**
     * A message copy buffer and cipher instances, pooled and shared by all threads: requests run on
     * short-lived virtual threads, so thread-locals would be created per request. GMAC hashes a
     * message through the buffer a chunk at a time; CMAC and HMAC copy it whole (one memory pass,
     * whatever the ByteBuf's layout) and hash it from there in one call.
     */
    private static final class Workspace {
        private static final ConcurrentLinkedQueue<Workspace> POOL = new ConcurrentLinkedQueue<>();
        private static final int KEPT = 8;
        /** Initial copy buffer (it grows to the largest message seen) and the CBC output chunk. */
        private static final int CHUNK = 64 * 1024;

        private byte[] data = new byte[CHUNK];
        private final byte[] cbcOut = new byte[CHUNK + 32];
        private Mac hmac;
        private Cipher ecb;
        private Cipher cbc;
        private byte[] hashKeyOf;
        private byte[] hashKey;

        static Workspace take() {
            Workspace w = POOL.poll();
            return w != null ? w : new Workspace();
        }

        void giveBack() {
            if (POOL.size() < KEPT) {
                POOL.offer(this);
            }
        }

        /** The message's bytes with the signature field zeroed, in {@code data[0, len)}. */
        byte[] copyOf(ByteBuf msg, int len) {
            if (data.length < len) {
                data = new byte[Math.max(len, data.length * 2)];
            }
            msg.getBytes(msg.readerIndex(), data, 0, len);
            if (len >= Smb2Header.SIZE) {
                Arrays.fill(data, Smb2Header.SIGNATURE_OFFSET, Smb2Header.SIGNATURE_OFFSET + 16, (byte) 0);
            }
            return data;
        }

        byte[] hmac(byte[] key, byte[] msg, int len) throws GeneralSecurityException {
            if (hmac == null) {
                hmac = Mac.getInstance("HmacSHA256");
            }
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            hmac.update(msg, 0, len);
            return hmac.doFinal();
        }

        /**
         * AES-GMAC ([MS-SMB2] 3.1.4.1, [NIST SP 800-38D] 7.1 with an empty plaintext): the message
         * is GCM's additional data, so the tag is GHASH(H, M || 0-pad || [len(M)]64 || [0]64) xor
         * AES(K, J0), with H = AES(K, 0^128) and J0 = nonce || 0x00000001. The message is hashed
         * straight from its buffer in cache-sized chunks, with no AES pass over it.
         */
        byte[] gmac(byte[] key, byte[] nonce, ByteBuf msg, int len) throws GeneralSecurityException {
            if (ecb == null) {
                ecb = Cipher.getInstance("AES/ECB/NoPadding");
            }
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            Ghash ghash = ghashFor(key);
            int start = msg.readerIndex();
            for (int off = 0; off < len; off += CHUNK) {
                int n = Math.min(CHUNK, len - off);
                msg.getBytes(start + off, data, 0, n);
                if (off == 0 && len >= Smb2Header.SIZE) {
                    Arrays.fill(data, Smb2Header.SIGNATURE_OFFSET, Smb2Header.SIGNATURE_OFFSET + 16, (byte) 0);
                }
                int padded = (n + Ghash.BLOCK - 1) & -Ghash.BLOCK;
                Arrays.fill(data, n, padded, (byte) 0);
                ghash.update(data, 0, padded);
            }
            byte[] lengths = new byte[Ghash.BLOCK];
            long bits = 8L * len;
            for (int i = 0; i < 8; i++) {
                lengths[i] = (byte) (bits >>> (56 - 8 * i));
            }
            ghash.update(lengths, 0, Ghash.BLOCK);
            byte[] tag = ghash.digest();
            byte[] j0 = Arrays.copyOf(nonce, 16);
            j0[15] = 1;
            byte[] mask = ecb.doFinal(j0);
            for (int i = 0; i < 16; i++) {
                tag[i] ^= mask[i];
            }
            return tag;
        }

        /** A fresh GHASH for the key; H = AES(K, 0^128) is kept for the last key (a session signs many messages with one). */
        private Ghash ghashFor(byte[] key) throws GeneralSecurityException {
            if (!Arrays.equals(key, hashKeyOf)) {
                hashKey = ecb.doFinal(ZERO16);
                hashKeyOf = key.clone();
            }
            return Ghash.create(hashKey);
        }

        /** AES-CMAC ([RFC 4493] 2.4) as a CBC-MAC with a zero IV, the last block mixed with K1 or K2. */
        byte[] cmac(byte[] key, byte[] msg, int len) throws GeneralSecurityException {
            if (cbc == null) {
                cbc = Cipher.getInstance("AES/CBC/NoPadding");
            }
            SecretKeySpec k = new SecretKeySpec(key, "AES");
            IvParameterSpec zeroIv = new IvParameterSpec(ZERO16);
            cbc.init(Cipher.ENCRYPT_MODE, k, zeroIv);
            byte[] k1 = doubled(cbc.doFinal(ZERO16)); // L = AES(K, 0)
            boolean complete = len > 0 && len % 16 == 0;
            int lastLen = complete ? 16 : len % 16;
            int cut = len - lastLen;
            byte[] last = new byte[16];
            System.arraycopy(msg, cut, last, 0, lastLen);
            byte[] subkey = k1;
            if (!complete) {
                last[lastLen] = (byte) 0x80;
                subkey = doubled(k1);
            }
            for (int i = 0; i < 16; i++) {
                last[i] ^= subkey[i];
            }
            cbc.init(Cipher.ENCRYPT_MODE, k, zeroIv);
            for (int off = 0; off < cut; off += CHUNK) {
                cbc.update(msg, off, Math.min(CHUNK, cut - off), cbcOut, 0);
            }
            return cbc.doFinal(last);
        }

        /** Multiplication by x in GF(2^128), the subkey step of [RFC 4493] 2.3. */
        private static byte[] doubled(byte[] in) {
            byte[] out = new byte[16];
            int carry = 0;
            for (int i = 15; i >= 0; i--) {
                int b = in[i] & 0xFF;
                out[i] = (byte) (b << 1 | carry);
                carry = b >>> 7;
            }
            if (carry != 0) {
                out[15] ^= (byte) 0x87;
            }
            return out;
        }
    }
}
