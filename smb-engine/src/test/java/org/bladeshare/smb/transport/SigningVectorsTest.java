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
}
