package org.bladeshare.smb.auth;

import org.bladeshare.smb.dtyp.FileTime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The acceptor side of NTLMSSP with NTLMv2 only ([MS-NLMP] 3.2.5, 3.3.2). One instance per
 * authentication exchange: NEGOTIATE in, CHALLENGE out, AUTHENTICATE in, session key out.
 */
public final class NtlmServer {
    private static final int REQUIRED = Ntlmssp.NEGOTIATE_UNICODE | Ntlmssp.REQUEST_TARGET | Ntlmssp.NEGOTIATE_NTLM
        | Ntlmssp.NEGOTIATE_ALWAYS_SIGN | Ntlmssp.TARGET_TYPE_SERVER | Ntlmssp.NEGOTIATE_EXTENDED_SESSIONSECURITY
        | Ntlmssp.NEGOTIATE_TARGET_INFO | Ntlmssp.NEGOTIATE_VERSION;
    private static final int ECHOED = Ntlmssp.NEGOTIATE_SIGN | Ntlmssp.NEGOTIATE_SEAL | Ntlmssp.NEGOTIATE_128
        | Ntlmssp.NEGOTIATE_56 | Ntlmssp.NEGOTIATE_KEY_EXCH;

    /** A successful authentication; an anonymous one has no user and no session key. */
    public record Result(String user, String domain, byte[] sessionKey, boolean anonymous) {
    }

    private final UserDirectory users;
    private final String serverName;
    private final SecureRandom random;
    private byte[] negotiateMessage;
    private byte[] challengeMessage;
    private byte[] serverChallenge;
    private int flags;
    private byte[] exportedSessionKey;

    public NtlmServer(UserDirectory users, String serverName, SecureRandom random) {
        this.users = users;
        this.serverName = serverName.toUpperCase(Locale.ROOT);
        this.random = random;
    }

    /** Answers the client's NEGOTIATE_MESSAGE with a CHALLENGE_MESSAGE ([MS-NLMP] 3.2.5.1.1). */
    public byte[] challenge(byte[] negotiate) {
        int clientFlags = Ntlmssp.Negotiate.decode(negotiate).flags();
        negotiateMessage = negotiate.clone();
        flags = REQUIRED | (clientFlags & ECHOED);
        serverChallenge = new byte[8];
        random.nextBytes(serverChallenge);
        Map<Integer, byte[]> av = new LinkedHashMap<>();
        byte[] name = serverName.getBytes(StandardCharsets.UTF_16LE);
        byte[] dns = serverName.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_16LE);
        av.put(Ntlmssp.AV_NB_DOMAIN_NAME, name);
        av.put(Ntlmssp.AV_NB_COMPUTER_NAME, name);
        av.put(Ntlmssp.AV_DNS_DOMAIN_NAME, dns);
        av.put(Ntlmssp.AV_DNS_COMPUTER_NAME, dns);
        av.put(Ntlmssp.AV_TIMESTAMP, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(FileTime.now()).array());
        challengeMessage = new Ntlmssp.Challenge(flags, serverName, serverChallenge, Ntlmssp.encodeAvPairs(av))
            .encode();
        return challengeMessage.clone();
    }

    /** Verifies the AUTHENTICATE_MESSAGE; throws {@link AuthException} on any failure. */
    public Result authenticate(byte[] message) {
        if (challengeMessage == null) {
            throw new AuthException("AUTHENTICATE before CHALLENGE");
        }
        var auth = Ntlmssp.Authenticate.decode(message);
        if (auth.user().isEmpty()) {
            // [MS-NLMP] 3.2.5.1.2: anonymous when the NT response is empty and the LM response empty or Z(1)
            boolean lmEmpty = auth.lmResponse().length == 0
                || (auth.lmResponse().length == 1 && auth.lmResponse()[0] == 0);
            if (auth.ntResponse().length == 0 && lmEmpty) {
                return new Result("", "", null, true);
            }
            throw new AuthException("no user name");
        }
        if (auth.ntResponse().length <= 24) {
            throw new AuthException("only NTLMv2 responses are accepted");
        }
        requireWellFormedClientChallenge(auth.ntResponse());
        byte[] ntHash = users.ntHash(auth.user()).orElseThrow(() -> new AuthException("unknown user"));
        byte[] baseKey = null;
        for (String domain : new String[]{auth.domain(), auth.domain().toUpperCase(Locale.ROOT), ""}) {
            baseKey = ntlmv2SessionBaseKey(ntHash, auth.user(), domain, serverChallenge, auth.ntResponse())
                .orElse(null);
            if (baseKey != null) {
                break;
            }
        }
        if (baseKey == null) {
            throw new AuthException("wrong password for " + auth.user());
        }
        int negotiated = auth.flags();
        exportedSessionKey = (negotiated & Ntlmssp.NEGOTIATE_KEY_EXCH) != 0 && auth.encryptedRandomSessionKey().length == 16
            ? Crypto.rc4(baseKey, auth.encryptedRandomSessionKey())
            : baseKey;
        flags = negotiated;
        verifyMessageMic(message, auth);
        return new Result(auth.user(), auth.domain(), exportedSessionKey.clone(), false);
    }

    /**
     * [MS-NLMP] 2.2.2.7: NTLMv2_CLIENT_CHALLENGE is 28 fixed bytes then AV pairs ending with
     * MsvAvEOL inside the response; anything else is a malformed token, not a wrong password.
     */
    static void requireWellFormedClientChallenge(byte[] ntResponse) {
        int pos = 16 + 28;
        if (ntResponse.length < pos) {
            throw new MalformedTokenException("NTLMv2 response too short");
        }
        ByteBuffer b = ByteBuffer.wrap(ntResponse).order(ByteOrder.LITTLE_ENDIAN);
        while (pos + 4 <= ntResponse.length) {
            int id = Short.toUnsignedInt(b.getShort(pos));
            int len = Short.toUnsignedInt(b.getShort(pos + 2));
            if (id == Ntlmssp.AV_EOL) {
                return;
            }
            pos += 4 + len;
        }
        throw new MalformedTokenException("NTLMv2 AV pairs overrun the response");
    }

    /** [MS-NLMP] 3.2.5.1.2: when the client announces a MIC in MsvAvFlags it must match. */
    private void verifyMessageMic(byte[] message, Ntlmssp.Authenticate auth) {
        byte[] blob = Arrays.copyOfRange(auth.ntResponse(), 16, auth.ntResponse().length);
        Map<Integer, byte[]> av = Ntlmssp.decodeAvPairs(blob, 28);
        byte[] avFlags = av.get(Ntlmssp.AV_FLAGS);
        boolean micPresent = avFlags != null && avFlags.length == 4
            && (ByteBuffer.wrap(avFlags).order(ByteOrder.LITTLE_ENDIAN).getInt() & Ntlmssp.AV_FLAG_MIC_PRESENT) != 0;
        if (!micPresent) {
            return;
        }
        if (auth.micOffset() < 0 || message.length < auth.micOffset() + 16) {
            throw new AuthException("MIC announced but absent");
        }
        byte[] mic = Arrays.copyOfRange(message, auth.micOffset(), auth.micOffset() + 16);
        byte[] zeroed = message.clone();
        Arrays.fill(zeroed, auth.micOffset(), auth.micOffset() + 16, (byte) 0);
        byte[] expected = Crypto.hmacMd5(exportedSessionKey, negotiateMessage, challengeMessage, zeroed);
        if (!MessageDigest.isEqual(mic, expected)) {
            throw new AuthException("NTLMSSP MIC mismatch");
        }
    }

    /**
     * NTLMv2 check ([MS-NLMP] 3.3.2): returns SessionBaseKey when NTProofStr matches.
     *
     * @param ntResponse NTProofStr (16 bytes) followed by the client's blob
     */
    public static Optional<byte[]> ntlmv2SessionBaseKey(byte[] ntHash, String user, String domain,
                                                        byte[] serverChallenge, byte[] ntResponse) {
        byte[] responseKeyNt = Crypto.hmacMd5(ntHash,
            (user.toUpperCase(Locale.ROOT) + domain).getBytes(StandardCharsets.UTF_16LE));
        byte[] proof = Arrays.copyOf(ntResponse, 16);
        byte[] blob = Arrays.copyOfRange(ntResponse, 16, ntResponse.length);
        byte[] expected = Crypto.hmacMd5(responseKeyNt, serverChallenge, blob);
        if (!MessageDigest.isEqual(proof, expected)) {
            return Optional.empty();
        }
        return Optional.of(Crypto.hmacMd5(responseKeyNt, proof));
    }

    /** The SPNEGO mechListMIC of the acceptor: NTLMSSP MAC with sequence number 0 ([MS-NLMP] 3.4.4.2). */
    public byte[] serverMic(byte[] mechList) {
        return mac(mechList, "session key to server-to-client signing key magic constant",
            "session key to server-to-client sealing key magic constant");
    }

    /** True when the initiator's mechListMIC is right. */
    public boolean verifyClientMic(byte[] mechList, byte[] mic) {
        byte[] expected = mac(mechList, "session key to client-to-server signing key magic constant",
            "session key to client-to-server sealing key magic constant");
        return MessageDigest.isEqual(expected, mic);
    }

    private byte[] mac(byte[] data, String signMagic, String sealMagic) {
        if (exportedSessionKey == null) {
            throw new AuthException("no session key yet");
        }
        byte[] signKey = Crypto.md5(exportedSessionKey, Kdf.cstr(signMagic));
        byte[] seq = new byte[4];
        byte[] checksum = Arrays.copyOf(Crypto.hmacMd5(signKey, seq, data), 8);
        if ((flags & Ntlmssp.NEGOTIATE_KEY_EXCH) != 0) {
            checksum = new Crypto.Rc4(sealKey(sealMagic)).apply(checksum);
        }
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).put(checksum).put(seq);
        return b.array();
    }

    private byte[] sealKey(String magic) {
        byte[] base;
        if ((flags & Ntlmssp.NEGOTIATE_128) != 0) {
            base = exportedSessionKey;
        } else if ((flags & Ntlmssp.NEGOTIATE_56) != 0) {
            base = Arrays.copyOf(exportedSessionKey, 7);
        } else {
            base = Arrays.copyOf(exportedSessionKey, 5);
        }
        return Crypto.md5(base, Kdf.cstr(magic));
    }
}
