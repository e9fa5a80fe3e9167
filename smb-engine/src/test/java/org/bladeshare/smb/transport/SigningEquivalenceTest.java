package org.bladeshare.smb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.macs.GMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK-cipher signing against known answers ([RFC 4493] 4 for AES-CMAC) and against
 * BouncyCastle's CMac and GMac (the previous implementation), over every message length around
 * the block boundaries and over heap, direct and composite buffers.
 */
class SigningEquivalenceTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] RFC_KEY = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
    private static final String RFC_MESSAGE = "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51"
        + "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710";

    /** A message shorter than an SMB2 header is hashed as it is (no signature field to zero). */
    private static String cmacOf(int bytes) {
        byte[] m = Arrays.copyOf(HEX.parseHex(RFC_MESSAGE), bytes);
        return HEX.formatHex(Smb2Signing.compute(SigningAlgorithm.AES_CMAC, RFC_KEY, Unpooled.wrappedBuffer(m)));
    }

    @Test
    void cmacMatchesTheRfc4493ExamplesForShortMessages() {
        assertEquals("bb1d6929e95937287fa37d129b756746", cmacOf(0));
        assertEquals("070a16b46b4d4144f79bdd9dd04a287c", cmacOf(16));
        assertEquals("dfa66747de9ae63030ca32611497c827", cmacOf(40));
    }

    @Test
    void cmacMatchesTheRfc4493ExampleOf64BytesOnceItsSignatureFieldIsZeroed() {
        // 64 bytes count as an SMB2 header, so bytes 48..63 are zeroed before hashing: the
        // reference is BouncyCastle over the same zeroed bytes, and the RFC vector pins BouncyCastle.
        byte[] m = HEX.parseHex(RFC_MESSAGE);
        assertEquals("51f0bebf7e3b9d92fc49741779363cfe", HEX.formatHex(bcCmac(RFC_KEY, m)));
        byte[] zeroed = m.clone();
        Arrays.fill(zeroed, 48, 64, (byte) 0);
        assertEquals(HEX.formatHex(bcCmac(RFC_KEY, zeroed)),
            HEX.formatHex(Smb2Signing.compute(SigningAlgorithm.AES_CMAC, RFC_KEY, Unpooled.wrappedBuffer(m))));
    }

    @Test
    void cmacAndGmacEqualBouncyCastleForEveryLayoutAndLengthsAroundBlockBoundaries() {
        Random rnd = new Random(42);
        byte[] key = new byte[16];
        int[] lengths = {64, 65, 79, 80, 81, 95, 96, 127, 128, 129, 1000, 4096, 65535, 65536, 65537, 1 << 20,
            (1 << 20) + 80,
            5 * (1 << 20) + 3, 8 * (1 << 20) + 64}; // from 1 MiB GMAC runs as two halves
        for (int len : lengths) {
            rnd.nextBytes(key);
            byte[] m = new byte[len];
            rnd.nextBytes(m);
            byte[] zeroed = m.clone();
            Arrays.fill(zeroed, 48, 64, (byte) 0);
            byte[] nonce = new byte[12];
            System.arraycopy(m, 24, nonce, 0, 8);
            nonce[8] = (byte) (m[16] & 1);
            if (((m[12] & 0xFF) | (m[13] & 0xFF) << 8) == 0x0C) { // CANCEL
                nonce[8] |= 2;
            }
            byte[] wantCmac = bcCmac(key, zeroed);
            byte[] wantGmac = bcGmac(key, nonce, zeroed);
            for (ByteBuf buf : layouts(m)) {
                assertArrayEquals(wantCmac, Smb2Signing.compute(SigningAlgorithm.AES_CMAC, key, buf), "CMAC " + len);
                assertArrayEquals(wantGmac, Smb2Signing.compute(SigningAlgorithm.AES_GMAC, key, buf), "GMAC " + len);
                buf.release();
            }
        }
    }

    @Test
    void gmacVerifyAcceptsBouncyCastlesSignatureAndRefusesAnyChangedByte() {
        Random rnd = new Random(43);
        byte[] key = new byte[16];
        int[] lengths = {64, 65, 80, 81, 127, 128, 129, 4096, 65537, (1 << 20) + 80, 8 * (1 << 20) + 64};
        for (int len : lengths) {
            rnd.nextBytes(key);
            byte[] m = new byte[len];
            rnd.nextBytes(m);
            m[12] = 9; // WRITE, not CANCEL
            m[13] = 0;
            m[16] &= (byte) ~1; // client to server
            byte[] zeroed = m.clone();
            Arrays.fill(zeroed, 48, 64, (byte) 0);
            byte[] nonce = Arrays.copyOf(Arrays.copyOfRange(m, 24, 32), 12);
            System.arraycopy(bcGmac(key, nonce, zeroed), 0, m, 48, 16);
            for (ByteBuf buf : layouts(m)) {
                assertTrue(Smb2Signing.verify(SigningAlgorithm.AES_GMAC, key, buf), "GMAC verify " + len);
                buf.release();
            }
            for (int at : new int[] {0, 30, 48, 63, 64, len / 2, len - 1}) {
                byte[] bad = m.clone();
                bad[Math.min(at, len - 1)] ^= 0x10;
                assertFalse(Smb2Signing.verify(SigningAlgorithm.AES_GMAC, key, Unpooled.wrappedBuffer(bad)),
                    "GMAC verify " + len + " with byte " + at + " changed");
            }
            byte[] otherKey = key.clone();
            otherKey[0] ^= 1;
            assertFalse(Smb2Signing.verify(SigningAlgorithm.AES_GMAC, otherKey, Unpooled.wrappedBuffer(m)));
        }
    }

    @Test
    void theSameMessageCanBeHashedTwiceInARow() {
        byte[] m = new byte[200];
        new Random(7).nextBytes(m);
        byte[] key = new byte[16];
        byte[] first = Smb2Signing.compute(SigningAlgorithm.AES_GMAC, key, Unpooled.wrappedBuffer(m));
        byte[] second = Smb2Signing.compute(SigningAlgorithm.AES_GMAC, key, Unpooled.wrappedBuffer(m));
        assertArrayEquals(first, second);
    }

    /** The same bytes as a heap buffer with an offset, a direct buffer, and a composite of both. */
    private static ByteBuf[] layouts(byte[] m) {
        ByteBuf heap = Unpooled.buffer(m.length + 7).writeZero(7).writeBytes(m);
        heap.readerIndex(7);
        ByteBuf direct = Unpooled.directBuffer(m.length).writeBytes(m);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        int split = Math.min(m.length, 50); // splits the signature field between components
        composite.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(m, 0, split)));
        composite.addComponent(true, Unpooled.directBuffer(m.length - split).writeBytes(m, split, m.length - split));
        return new ByteBuf[] {heap, direct, composite};
    }

    private static byte[] bcCmac(byte[] key, byte[] m) {
        CMac mac = new CMac(AESEngine.newInstance());
        mac.init(new KeyParameter(key));
        mac.update(m, 0, m.length);
        byte[] out = new byte[16];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] bcGmac(byte[] key, byte[] nonce, byte[] m) {
        GMac mac = new GMac(GCMBlockCipher.newInstance(AESEngine.newInstance()));
        mac.init(new ParametersWithIV(new KeyParameter(key), nonce));
        mac.update(m, 0, m.length);
        byte[] out = new byte[16];
        mac.doFinal(out, 0);
        return out;
    }
}
