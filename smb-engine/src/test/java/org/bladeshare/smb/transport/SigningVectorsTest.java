package org.bladeshare.smb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AES-CMAC signing of the final SESSION_SETUP response in Microsoft's SMB 3.1.1 key example. */
class SigningVectorsTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String SIGNED_RESPONSE = "FE534D4240000100000000000100800009000000000000000300000000000000"
        + "FFFE0000000000001900000000100000EBE146DA120BA25FC3376A49DFE31BC1"
        + "0900000048001D00A11B3019A0030A0100A3120410010000003B453CDC3524164200000000";
    private static final byte[] KEY = HEX.parseHex("73FE7A9A77BEF0BDE49C650D8CCB5F76");

    @Test
    void cmacOfTheSpecResponseMatchesItsSignature() {
        ByteBuf msg = Unpooled.wrappedBuffer(HEX.parseHex(SIGNED_RESPONSE));
        assertEquals("EBE146DA120BA25FC3376A49DFE31BC1",
            HEX.formatHex(Smb2Signing.compute(SigningAlgorithm.AES_CMAC, KEY, msg)));
        assertTrue(Smb2Signing.verify(SigningAlgorithm.AES_CMAC, KEY, msg));
    }

    @Test
    void signWritesTheSameSignatureAndATamperedByteFailsVerification() {
        byte[] bytes = HEX.parseHex(SIGNED_RESPONSE);
        java.util.Arrays.fill(bytes, 48, 64, (byte) 0);
        ByteBuf msg = Unpooled.wrappedBuffer(bytes);
        Smb2Signing.sign(SigningAlgorithm.AES_CMAC, KEY, msg);
        assertEquals(SIGNED_RESPONSE, HEX.formatHex(bytes));
        bytes[70] ^= 1;
        assertFalse(Smb2Signing.verify(SigningAlgorithm.AES_CMAC, KEY, Unpooled.wrappedBuffer(bytes)));
    }

    /** An independent GMAC (the JDK's AES-GCM, empty plaintext) over the message with the signature zeroed. */
    private static byte[] jdkGmac(byte[] key, byte[] message, byte[] nonce) {
        byte[] zeroed = message.clone();
        java.util.Arrays.fill(zeroed, 48, 64, (byte) 0);
        try {
            var gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
            gcm.updateAAD(zeroed);
            return gcm.doFinal();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void gmacUsesMessageIdAndDirectionAsTheNonce() {
        byte[] response = HEX.parseHex(SIGNED_RESPONSE); // a server response, MessageId 3
        byte[] nonce = new byte[12];
        nonce[0] = 3;    // MessageId, little-endian
        nonce[8] = 1;    // sent by the server
        assertEquals(HEX.formatHex(jdkGmac(KEY, response, nonce)),
            HEX.formatHex(Smb2Signing.compute(SigningAlgorithm.AES_GMAC, KEY, Unpooled.wrappedBuffer(response))));

        byte[] request = response.clone();
        request[16] &= ~1; // clear SERVER_TO_REDIR: the same bytes as a request use another nonce
        nonce[8] = 0;
        assertEquals(HEX.formatHex(jdkGmac(KEY, request, nonce)),
            HEX.formatHex(Smb2Signing.compute(SigningAlgorithm.AES_GMAC, KEY, Unpooled.wrappedBuffer(request))));

        ByteBuf signed = Unpooled.wrappedBuffer(response.clone());
        Smb2Signing.sign(SigningAlgorithm.AES_GMAC, KEY, signed);
        assertTrue(Smb2Signing.verify(SigningAlgorithm.AES_GMAC, KEY, signed));
        signed.setByte(70, signed.getByte(70) ^ 1);
        assertFalse(Smb2Signing.verify(SigningAlgorithm.AES_GMAC, KEY, signed));
    }
}
