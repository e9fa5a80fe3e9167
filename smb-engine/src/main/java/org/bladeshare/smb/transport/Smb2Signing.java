package org.bladeshare.smb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Message signing ([MS-SMB2] 3.1.4.1): HMAC-SHA256 for 2.x, AES-128-CMAC for 3.x, AES-128-GMAC
 * when 3.1.1 negotiated it. All three run on the JDK's ciphers, which use AES-NI and carry-less
 * multiplication: GMAC is AES-GCM with the message as additional data and no plaintext, CMAC
 * is a CBC-MAC whose last block is mixed with a subkey ([RFC 4493] 2.4).
 */
public final class Smb2Signing {
    private static final byte[] ZERO16 = new byte[16];
    /** GMAC of messages from this size is computed as two halves on two threads. */
    private static final int PARALLEL_FROM = 1024 * 1024;
    /** Enough calls for C2 to compile the JDK's GHASH, AES-CBC and SHA-256 loops with their intrinsics. */
    private static final int WARM_UP_CALLS = 20_000;

    static {
        // The JDK hashes a whole message in one call; until that method has been called often
        // enough to be compiled, it runs interpreted at under 100 MB/s (measured: an 8 MiB WRITE
        // stream stays there for over a hundred messages). Small messages compile it in ~0.1 s.
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
     * short-lived virtual threads, so thread-locals would be created per request. A message is
     * copied once into the buffer (one memory pass, whatever the ByteBuf's layout) and hashed from
     * there in a single call, so the JDK's GCM sizes its additional-data buffer exactly.
     */
    private static final class Workspace {
        private static final ConcurrentLinkedQueue<Workspace> POOL = new ConcurrentLinkedQueue<>();
        private static final int KEPT = 8;
        /** Initial copy buffer (it grows to the largest message seen) and the CBC output chunk. */
        private static final int CHUNK = 64 * 1024;

        private byte[] data = new byte[CHUNK];
        private final byte[] plain = new byte[CHUNK + 16];
        private final byte[] cbcOut = new byte[CHUNK + 32];
        private Mac hmac;
        private Cipher gcm;
        private Cipher ctr;
        private Cipher ecb;
        private Cipher cbc;
        private byte[] hashKeyOf;
        private long[] hashKey;

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
         * AES-GMAC ([MS-SMB2] 3.1.4.1): GCM's tag over the message as additional data and no
         * plaintext. The JDK's GCM would first buffer all additional data (a fresh array as large
         * as the message, per message), so the message is instead made the ciphertext of a GCM
         * encryption, streamed in cache-sized chunks: encrypting P = M xor CTR-keystream yields
         * C = M, and GHASH is linear, so the two tags differ only by the length block,
         * (L xor L') * H with L = [len(M)]64 || [0]64, L' = [0]64 || [len(M)]64, H = AES(K, 0).
         */
        byte[] gmac(byte[] key, byte[] nonce, ByteBuf msg, int len) throws GeneralSecurityException {
            SecretKeySpec k = new SecretKeySpec(key, "AES");
            ensureCiphers();
            long[] h = hashKey(key, k);
            if (len < PARALLEL_FROM) {
                long[] t = tagOfCiphertext(k, nonce, msg, 0, len, len);
                long[] fix = gfMultiply(8L * len, 8L * len, h); // (L xor L') * H
                return bytes(t[0] ^ fix[0], t[1] ^ fix[1]);
            }
            // Two halves on two threads. With P(Y) = sum Y_j H^(k+1-j) over a part's k blocks,
            // GHASH(M || L) = (H^b P(A) xor P(B) xor L) H for M = A || B, b the blocks of B, and a
            // part's GCM tag T'_Y = E(J0) xor (P(Y) xor L'_Y) H gives P(Y) H.
            int split = (len / 2) & -CHUNK;
            Workspace other = take();
            long[][] tagA = new long[1][];
            Throwable[] failed = new Throwable[1];
            Thread first = Thread.ofVirtual().start(() -> {
                try {
                    other.ensureCiphers();
                    tagA[0] = other.tagOfCiphertext(k, nonce, msg, 0, split, len);
                } catch (Throwable e) {
                    failed[0] = e;
                }
            });
            long[] tagB = tagOfCiphertext(k, nonce, msg, split, len - split, len);
            try {
                first.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while signing", e);
            } finally {
                other.giveBack();
            }
            if (failed[0] != null) {
                if (failed[0] instanceof GeneralSecurityException g) {
                    throw g;
                }
                throw new IllegalStateException(failed[0]);
            }
            ecb.init(Cipher.ENCRYPT_MODE, k);
            byte[] j0 = Arrays.copyOf(nonce, 16);
            j0[15] = 1;
            byte[] e = ecb.doFinal(j0); // E(K, J0)
            long[] lengthA = gfMultiply(0, 8L * split, h);
            long qHigh = tagA[0][0] ^ bigEndianLong(e, 0) ^ lengthA[0]; // P(A) H
            long qLow = tagA[0][1] ^ bigEndianLong(e, 8) ^ lengthA[1];
            long[] a = gfMultiply(qHigh, qLow, gfPower(h, (len - split + 15) / 16));
            long[] fix = gfMultiply(8L * len, 8L * (len - split), h); // (L xor L'_B) H
            return bytes(a[0] ^ tagB[0] ^ fix[0], a[1] ^ tagB[1] ^ fix[1]);
        }

        private void ensureCiphers() throws GeneralSecurityException {
            if (gcm == null) {
                gcm = Cipher.getInstance("AES/GCM/NoPadding");
                ctr = Cipher.getInstance("AES/CTR/NoPadding");
                ecb = Cipher.getInstance("AES/ECB/NoPadding");
            }
        }

        /**
         * GCM's tag when {@code msg[from, from + length)} is the ciphertext: the plaintext fed is the
         * part xor GCM's keystream. The signature field is zeroed when the part starts the message.
         */
        long[] tagOfCiphertext(SecretKeySpec k, byte[] nonce, ByteBuf msg, int from, int length, int messageLength)
            throws GeneralSecurityException {
            GCMParameterSpec gcmIv = new GCMParameterSpec(128, nonce);
            try {
                gcm.init(Cipher.ENCRYPT_MODE, k, gcmIv);
            } catch (InvalidAlgorithmParameterException reused) {
                // The JDK refuses the key and nonce this instance last encrypted with (the same
                // message hashed twice); a MAC over public data may repeat it, on a fresh instance.
                gcm = Cipher.getInstance("AES/GCM/NoPadding");
                gcm.init(Cipher.ENCRYPT_MODE, k, gcmIv);
            }
            byte[] counter = Arrays.copyOf(nonce, 16);
            counter[15] = 2; // inc32(J0): GCM's first keystream block ([NIST SP 800-38D] 7.1)
            ctr.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(counter));
            int start = msg.readerIndex() + from;
            for (int off = 0; off < length; off += CHUNK) {
                int n = Math.min(CHUNK, length - off);
                msg.getBytes(start + off, data, 0, n);
                if (from == 0 && off == 0 && messageLength >= Smb2Header.SIZE) {
                    Arrays.fill(data, Smb2Header.SIGNATURE_OFFSET, Smb2Header.SIGNATURE_OFFSET + 16, (byte) 0);
                }
                int p = ctr.update(data, 0, n, plain, 0);
                gcm.update(plain, 0, p, cbcOut, 0);
            }
            byte[] last = gcm.doFinal();
            int at = last.length - 16;
            return new long[] {bigEndianLong(last, at), bigEndianLong(last, at + 8)};
        }

        private static byte[] bytes(long high, long low) {
            byte[] out = new byte[16];
            for (int i = 0; i < 8; i++) {
                out[i] = (byte) (high >>> (56 - 8 * i));
                out[8 + i] = (byte) (low >>> (56 - 8 * i));
            }
            return out;
        }

        /** H^e in GCM's field (the identity is the element with only bit 0 set). */
        static long[] gfPower(long[] h, long e) {
            long[] result = {1L << 63, 0};
            long[] base = h;
            for (long rest = e; rest > 0; rest >>>= 1) {
                if ((rest & 1) != 0) {
                    result = gfMultiply(result[0], result[1], base);
                }
                base = gfMultiply(base[0], base[1], base);
            }
            return result;
        }

        /** H = AES(K, 0^128), kept for the last key (a session signs many messages with one key). */
        private long[] hashKey(byte[] key, SecretKeySpec k) throws GeneralSecurityException {
            if (!Arrays.equals(key, hashKeyOf)) {
                ecb.init(Cipher.ENCRYPT_MODE, k);
                byte[] h = ecb.doFinal(ZERO16);
                hashKey = new long[] {bigEndianLong(h, 0), bigEndianLong(h, 8)};
                hashKeyOf = key.clone();
            }
            return hashKey;
        }

        private static long bigEndianLong(byte[] b, int at) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (b[at + i] & 0xFF);
            }
            return v;
        }

        /** X * Y in GCM's GF(2^128), bit 0 the most significant of the first byte ([NIST SP 800-38D] 6.3). */
        static long[] gfMultiply(long xHigh, long xLow, long[] y) {
            long zHigh = 0;
            long zLow = 0;
            long vHigh = y[0];
            long vLow = y[1];
            for (int i = 0; i < 128; i++) {
                long bit = i < 64 ? xHigh >>> (63 - i) : xLow >>> (127 - i);
                if ((bit & 1) != 0) {
                    zHigh ^= vHigh;
                    zLow ^= vLow;
                }
                boolean lsb = (vLow & 1) != 0;
                vLow = vLow >>> 1 | vHigh << 63;
                vHigh >>>= 1;
                if (lsb) {
                    vHigh ^= 0xE100000000000000L;
                }
            }
            return new long[] {zHigh, zLow};
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
