package org.bladeshare.smb.auth;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** [MS-NLMP] 4.2.4 NTLMv2 authentication test vectors: User/Domain/Password, server "Server". */
class NtlmV2VectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SERVER_CHALLENGE = HEX.parseHex("0123456789abcdef");
    /** temp of 4.2.4.1.3: header, zero time, client challenge aa.., AV pairs (Domain, Server), trailing zeros. */
    private static final byte[] BLOB = HEX.parseHex("0101000000000000" + "0000000000000000" + "aaaaaaaaaaaaaaaa"
        + "00000000" + "02000c0044006f006d00610069006e00" + "01000c0053006500720076006500720000000000"
        + "00000000");
    private static final byte[] NT_PROOF = HEX.parseHex("68cd0ab851e51c96aabc927bebef6a1c");

    @Test
    void ntHashOfPasswordIsMd4OfUtf16() {
        assertEquals("a4f49c406510bdcab6824ee7c30fd852", HEX.formatHex(Crypto.ntHash("Password")));
    }

    @Test
    void ntProofStrMatchesAndYieldsTheSessionBaseKey() {
        byte[] response = concat(NT_PROOF, BLOB);
        var key = NtlmServer.ntlmv2SessionBaseKey(Crypto.ntHash("Password"), "User", "Domain", SERVER_CHALLENGE,
            response);
        assertTrue(key.isPresent(), "NTProofStr of the spec example must verify");
        assertEquals("8de40ccadbc14a82f15cb0ad0de95ca3", HEX.formatHex(key.get()));
    }

    @Test
    void wrongPasswordDoesNotVerify() {
        byte[] response = concat(NT_PROOF, BLOB);
        assertTrue(NtlmServer.ntlmv2SessionBaseKey(Crypto.ntHash("password"), "User", "Domain", SERVER_CHALLENGE,
            response).isEmpty());
    }

    @Test
    void userNameIsCaseInsensitiveButTheDomainIsAsSent() {
        byte[] response = concat(NT_PROOF, BLOB);
        assertTrue(NtlmServer.ntlmv2SessionBaseKey(Crypto.ntHash("Password"), "USER", "Domain", SERVER_CHALLENGE,
            response).isPresent());
    }

    @Test
    void keyExchangeDecryptsTheRandomSessionKey() {
        // 4.2.4.2.3: EncryptedSessionKey = RC4(KeyExchangeKey = SessionBaseKey, RandomSessionKey 55..55)
        byte[] baseKey = HEX.parseHex("8de40ccadbc14a82f15cb0ad0de95ca3");
        byte[] encrypted = HEX.parseHex("c5dad2544fc9799094ce1ce90bc9d03e");
        assertArrayEquals(HEX.parseHex("55555555555555555555555555555555"), Crypto.rc4(baseKey, encrypted));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aClientChallengeWhoseAvPairsOverrunIsMalformedNotAWrongPassword() {
        byte[] good = new byte[16 + BLOB.length];
        System.arraycopy(BLOB, 0, good, 16, BLOB.length);
        NtlmServer.requireWellFormedClientChallenge(good); // the spec's blob parses

        // The NetApp "net diag" response of Samba bug 14932: an AV pair announcing 0x8108 bytes.
        byte[] netapp = HEX.parseHex("abababababababababababababababab" + "0101000000000000" + "3f3f3f3f3f3f3f3f"
            + "b8823af1b3dd0815" + "00000000" + "11a20881" + "503822782b9447fe54947bff17275ab4f418badc2c38fd5b"
            + "fb0ec1851ecc92bb9bb1c4d55314ff8c7649f5459019a2");
        org.junit.jupiter.api.Assertions.assertThrows(MalformedTokenException.class,
            () -> NtlmServer.requireWellFormedClientChallenge(netapp));
    }
}
