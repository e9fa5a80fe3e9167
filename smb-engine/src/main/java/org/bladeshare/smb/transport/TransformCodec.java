package org.bladeshare.smb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.CCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * SMB2 TRANSFORM_HEADER encryption ([MS-SMB2] 2.2.41, 3.1.4.3): AES-CCM or AES-GCM over the
 * plaintext message, authenticating the header from the Nonce field on.
 */
public final class TransformCodec {
    public static final int PROTOCOL_ID = 0xFD534D42;
    public static final int HEADER_SIZE = 52;
    private static final int AAD_OFFSET = 20;
    private static final int FLAG_ENCRYPTED = 0x0001;

    private TransformCodec() {
    }

    /** The SessionId field of a transform header. */
    public static long sessionId(ByteBuf frame) {
        if (frame.readableBytes() < HEADER_SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "short transform header");
        }
        return frame.getLongLE(frame.readerIndex() + 44);
    }

    /** Encrypts {@code plain} (readable bytes) into a new buffer holding header and ciphertext. */
    public static ByteBuf encrypt(ByteBufAllocator alloc, CipherId cipher, byte[] key, long sessionId, byte[] nonce,
                                  ByteBuf plain) {
        int len = plain.readableBytes();
        byte[] header = new byte[HEADER_SIZE];
        ByteBuf h = io.netty.buffer.Unpooled.wrappedBuffer(header).writerIndex(0);
        h.writeInt(PROTOCOL_ID);
        h.writeZero(16);
        byte[] nonce16 = Arrays.copyOf(nonce, 16);
        h.writeBytes(nonce16);
        h.writeIntLE(len);
        h.writeShortLE(0);
        h.writeShortLE(FLAG_ENCRYPTED);
        h.writeLongLE(sessionId);
        byte[] aad = Arrays.copyOfRange(header, AAD_OFFSET, HEADER_SIZE);
        byte[] in = new byte[len];
        plain.getBytes(plain.readerIndex(), in);
        byte[] sealed = seal(cipher, key, Arrays.copyOf(nonce, cipher.nonceBytes()), aad, in);
        // sealed = ciphertext || 16-byte tag
        System.arraycopy(sealed, len, header, 4, 16);
        ByteBuf out = alloc.buffer(HEADER_SIZE + len);
        out.writeBytes(header);
        out.writeBytes(sealed, 0, len);
        return out;
    }

    /** Verifies and decrypts a transform message into a new buffer with the SMB2 message(s). */
    public static ByteBuf decrypt(ByteBufAllocator alloc, CipherId cipher, byte[] key, ByteBuf frame) {
        int start = frame.readerIndex();
        if (frame.readableBytes() < HEADER_SIZE || frame.getInt(start) != PROTOCOL_ID) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "not a transform header");
        }
        long size = frame.getUnsignedIntLE(start + 36);
        int flags = frame.getUnsignedShortLE(start + 42);
        int bodyLen = frame.readableBytes() - HEADER_SIZE;
        if (size != bodyLen || flags != FLAG_ENCRYPTED) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad transform header");
        }
        byte[] tag = new byte[16];
        frame.getBytes(start + 4, tag);
        byte[] nonce = new byte[cipher.nonceBytes()];
        frame.getBytes(start + 20, nonce);
        byte[] aad = new byte[HEADER_SIZE - AAD_OFFSET];
        frame.getBytes(start + AAD_OFFSET, aad);
        byte[] sealed = new byte[bodyLen + 16];
        frame.getBytes(start + HEADER_SIZE, sealed, 0, bodyLen);
        System.arraycopy(tag, 0, sealed, bodyLen, 16);
        byte[] plain = open(cipher, key, nonce, aad, sealed);
        ByteBuf out = alloc.buffer(plain.length);
        out.writeBytes(plain);
        return out;
    }

    private static byte[] seal(CipherId cipher, byte[] key, byte[] nonce, byte[] aad, byte[] plain) {
        return run(true, cipher, key, nonce, aad, plain);
    }

    private static byte[] open(CipherId cipher, byte[] key, byte[] nonce, byte[] aad, byte[] sealed) {
        return run(false, cipher, key, nonce, aad, sealed);
    }

    private static byte[] run(boolean encrypt, CipherId cipher, byte[] key, byte[] nonce, byte[] aad, byte[] in) {
        if (cipher.gcm()) {
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(128, nonce));
                c.updateAAD(aad);
                return c.doFinal(in);
            } catch (AEADBadTagException e) {
                throw new NtStatusException(NtStatus.ACCESS_DENIED, "transform authentication failed");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        AEADBlockCipher c = CCMBlockCipher.newInstance(AESEngine.newInstance());
        c.init(encrypt, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[c.getOutputSize(in.length)];
        int n = c.processBytes(in, 0, in.length, out, 0);
        try {
            n += c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "transform authentication failed");
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
