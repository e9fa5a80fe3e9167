package org.bladeshare.smb.auth;

import java.util.Arrays;

/**
 * SPNEGO acceptor (RFC 4178, [MS-SPNG]) offering NTLMSSP only. Also takes bare NTLMSSP tokens,
 * answering in kind. One instance per authentication exchange.
 */
public final class SpnegoAcceptor {
    static final byte[] OID_SPNEGO = {0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
    static final byte[] OID_NTLMSSP = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x02, 0x02, 0x0a};
    private static final int ACCEPT_COMPLETED = 0;
    private static final int ACCEPT_INCOMPLETE = 1;

    /** The outcome of one leg: a token to send back and, when done, who logged on. */
    public record Step(byte[] token, NtlmServer.Result result) {
        public boolean done() {
            return result != null;
        }
    }

    private final NtlmServer ntlm;
    private byte[] mechTypes;
    private boolean raw;

    public SpnegoAcceptor(NtlmServer ntlm) {
        this.ntlm = ntlm;
    }

    /** The NegTokenInit the server puts in its NEGOTIATE response ([MS-SMB2] 3.3.5.4). */
    public static byte[] negotiateHint() {
        byte[] mechs = Der.tlv(0xa0, Der.tlv(0x30, OID_NTLMSSP));
        byte[] hints = Der.tlv(0xa3, Der.tlv(0x30, Der.tlv(0xa0, Der.tlv(0x1b,
            "not_defined_in_RFC4178@please_ignore".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))));
        return Der.tlv(0x60, OID_SPNEGO, Der.tlv(0xa0, Der.tlv(0x30, mechs, hints)));
    }

    /** Processes one token from the client. Throws {@link AuthException} when authentication fails. */
    public Step accept(byte[] token) {
        if (token.length >= 8 && Arrays.equals(Arrays.copyOf(token, 8), Ntlmssp.SIGNATURE)) {
            raw = true;
            return ntlmLeg(token, null);
        }
        if (token.length == 0) {
            throw new AuthException("empty security token");
        }
        Der.Tlv outer = Der.read(token, 0);
        if (outer.tag() == 0x60) {
            var parts = Der.readAll(outer.value());
            if (parts.size() < 2 || !Arrays.equals(parts.get(0).encoded(), OID_SPNEGO) || parts.get(1).tag() != 0xa0) {
                throw new AuthException("not a SPNEGO NegTokenInit");
            }
            byte[] mechToken = null;
            boolean ntlmFirst = false;
            for (Der.Tlv field : parts.get(1).children().getFirst().children()) {
                switch (field.tag()) {
                    case 0xa0 -> {
                        Der.Tlv list = field.children().getFirst();
                        mechTypes = list.encoded();
                        var mechs = list.children();
                        ntlmFirst = !mechs.isEmpty() && Arrays.equals(mechs.getFirst().encoded(), OID_NTLMSSP);
                        if (mechs.stream().noneMatch(m -> Arrays.equals(m.encoded(), OID_NTLMSSP))) {
                            throw new AuthException("client offers no NTLMSSP");
                        }
                    }
                    case 0xa2 -> mechToken = field.children().getFirst().value();
                    default -> { }
                }
            }
            if (mechToken == null || !ntlmFirst) {
                // Ask for NTLMSSP: the client's optimistic token was for another mechanism.
                return new Step(negTokenResp(ACCEPT_INCOMPLETE, true, null, null), null);
            }
            return ntlmLeg(mechToken, null);
        }
        if (outer.tag() == 0xa1) {
            byte[] responseToken = null;
            byte[] mic = null;
            for (Der.Tlv field : outer.children().getFirst().children()) {
                switch (field.tag()) {
                    case 0xa2 -> responseToken = field.children().getFirst().value();
                    case 0xa3 -> mic = field.children().getFirst().value();
                    default -> { }
                }
            }
            if (responseToken == null) {
                throw new AuthException("NegTokenResp without a token");
            }
            return ntlmLeg(responseToken, mic);
        }
        throw new AuthException("unknown security token");
    }

    private Step ntlmLeg(byte[] ntlmToken, byte[] clientMic) {
        int type = Ntlmssp.messageType(ntlmToken);
        if (type == 1) {
            byte[] challenge = ntlm.challenge(ntlmToken);
            return new Step(raw ? challenge : negTokenResp(ACCEPT_INCOMPLETE, true, challenge, null), null);
        }
        if (type != 3) {
            throw new AuthException("unexpected NTLMSSP message type " + type);
        }
        NtlmServer.Result result = ntlm.authenticate(ntlmToken);
        if (raw) {
            return new Step(new byte[0], result);
        }
        byte[] serverMic = null;
        if (clientMic != null && mechTypes != null && !result.anonymous()) {
            if (!ntlm.verifyClientMic(mechTypes, clientMic)) {
                throw new AuthException("SPNEGO mechListMIC mismatch");
            }
            serverMic = ntlm.serverMic(mechTypes);
        }
        return new Step(negTokenResp(ACCEPT_COMPLETED, false, null, serverMic), result);
    }

    private static byte[] negTokenResp(int state, boolean withMech, byte[] token, byte[] mic) {
        byte[] st = Der.tlv(0xa0, Der.tlv(0x0a, new byte[]{(byte) state}));
        byte[] mech = withMech ? Der.tlv(0xa1, OID_NTLMSSP) : new byte[0];
        byte[] tok = token != null ? Der.tlv(0xa2, Der.tlv(0x04, token)) : new byte[0];
        byte[] m = mic != null ? Der.tlv(0xa3, Der.tlv(0x04, mic)) : new byte[0];
        return Der.tlv(0xa1, Der.tlv(0x30, st, mech, tok, m));
    }
}
