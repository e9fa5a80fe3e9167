package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Decoding the NEGOTIATE request of Microsoft's SMB 3.1.1 preauth example, and hashing it. */
class NegotiateVectorsTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    static final String REQUEST = "FE534D4240000100000000000000800000000000000000000100000000000000FFFE000000000000"
        + "00000000000000000000000000000000000000000000000024000500000000003F000000ECD86F32"
        + "6276024F9F7752B89BB33F3A70000000020000000202100200030203110300000100260000000000"
        + "010020000100FA49E6578F1F3A9F4CD3E9CC14A67AA884B3D05844E0E5A118225C15887F32FF0000"
        + "0200060000000000020002000100";

    @Test
    void decodesDialectsAndContexts() {
        ByteBuf msg = Unpooled.wrappedBuffer(HEX.parseHex(REQUEST));
        Smb2Header h = Smb2Header.decode(msg);
        assertEquals(Smb2Command.NEGOTIATE, h.command());
        assertEquals(1, h.messageId());
        var r = Negotiate.Request.decode(msg);
        assertEquals(List.of(0x0202, 0x0210, 0x0300, 0x0302, 0x0311), r.dialects());
        assertEquals(2, r.contexts().size());
        assertEquals(Negotiate.CTX_PREAUTH_INTEGRITY, r.contexts().get(0).type());
        assertEquals("010020000100FA49E6578F1F3A9F4CD3E9CC14A67AA884B3D05844E0E5A118225C15887F32FF",
            HEX.formatHex(r.contexts().get(0).data()));
        assertEquals(Negotiate.CTX_ENCRYPTION, r.contexts().get(1).type());
        assertEquals("020002000100", HEX.formatHex(r.contexts().get(1).data()));
    }

    @Test
    void preauthHashOfTheRequestMatchesTheExample() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        md.update(new byte[64]);
        md.update(HEX.parseHex(REQUEST));
        assertEquals("DD94EFC5321BB618A2E208BA8920D2F422992526947A409B5037DE1E0FE8C736"
            + "2B8C47122594CDE0CE26AA9DFC8BCDBDE0621957672623351A7540F1E54A0426", HEX.formatHex(md.digest()));
    }
}
