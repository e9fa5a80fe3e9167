package org.bladeshare.smb.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.dtyp.FileTime;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * The client's side of an NTLMv2 logon ([MS-NLMP] 3.1.5.1.2, 3.3.2): from the server's
 * CHALLENGE, the AUTHENTICATE message (NTLMv2 response, key exchange) and the session key the
 * client then holds. For the engine's own loopback client and the protocol tests.
 */
public final class NtlmV2Client {
    /** The AUTHENTICATE token and ExportedSessionKey, the session key signing keys derive from. */
    public record Answer(byte[] token, byte[] exportedSessionKey) {
    }

    private NtlmV2Client() {
    }

    public static Answer answer(Ntlmssp.Challenge challenge, String user, String domain, byte[] ntHash,
                                String workstation, SecureRandom random) {
        byte[] clientChallenge = new byte[8];
        random.nextBytes(clientChallenge);
        // NTLMv2_CLIENT_CHALLENGE ([MS-NLMP] 2.2.2.7): versions, time, client challenge, AV pairs
        ByteBuf blob = Unpooled.buffer().writeShortLE(0x0101).writeZero(6).writeLongLE(FileTime.now())
            .writeBytes(clientChallenge).writeZero(4).writeBytes(challenge.targetInfo()).writeZero(4);
        byte[] blobBytes = ByteBufUtil.getBytes(blob);
        byte[] responseKey = Crypto.hmacMd5(ntHash,
            (user.toUpperCase(Locale.ROOT) + domain).getBytes(StandardCharsets.UTF_16LE));
        byte[] proof = Crypto.hmacMd5(responseKey, challenge.serverChallenge(), blobBytes);
        byte[] baseKey = Crypto.hmacMd5(responseKey, proof);
        byte[] exported = new byte[16];
        random.nextBytes(exported);
        byte[] nt = new byte[16 + blobBytes.length];
        System.arraycopy(proof, 0, nt, 0, 16);
        System.arraycopy(blobBytes, 0, nt, 16, blobBytes.length);
        byte[] token = Ntlmssp.encodeAuthenticate(new byte[24], nt, domain, user, workstation,
            Crypto.rc4(baseKey, exported), challenge.flags());
        return new Answer(token, exported);
    }
}
