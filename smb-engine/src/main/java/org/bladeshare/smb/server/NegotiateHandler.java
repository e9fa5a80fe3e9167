package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.auth.SpnegoAcceptor;
import org.bladeshare.smb.dtyp.FileTime;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Dialect;
import org.bladeshare.smb.smb2.Negotiate;
import org.bladeshare.smb.transport.CipherId;
import org.bladeshare.smb.transport.SigningAlgorithm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/** SMB2 NEGOTIATE ([MS-SMB2] 3.3.5.4): picks the dialect and, for 3.1.1, hash, cipher and signing. */
final class NegotiateHandler implements CommandHandler {
    /** Ciphers in the order this server prefers them. */
    static final List<CipherId> CIPHER_PREFERENCE = List.of(CipherId.AES_128_GCM, CipherId.AES_128_CCM,
        CipherId.AES_256_GCM, CipherId.AES_256_CCM);
    static final boolean ENCRYPTION_AVAILABLE = Transform.class != null && TransformSupport.AVAILABLE;

    @Override
    public boolean needsSession() {
        return false;
    }

    @Override
    public boolean needsTree() {
        return false;
    }

    @Override
    public void handle(Request req, ByteBuf out) {
        SmbConnection conn = req.connection;
        if (conn.dialect != null) {
            conn.disconnect("second NEGOTIATE");
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "already negotiated");
        }
        var r = Negotiate.Request.decode(req.message);
        Dialect chosen = null;
        for (int code : r.dialects()) {
            Dialect d = Dialect.of(code);
            if (d != null && (chosen == null || d.code() > chosen.code())) {
                chosen = d;
            }
        }
        if (chosen == null) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED, "no common dialect");
        }
        List<Negotiate.Context> answers = new ArrayList<>();
        if (chosen == Dialect.SMB_3_1_1) {
            answerContexts(conn, r.contexts(), answers, req.server().random);
        }
        conn.dialect = chosen;
        conn.clientGuid = r.clientGuid();
        conn.clientCapabilities = r.capabilities();
        conn.clientSecurityMode = r.securityMode();
        conn.clientDialects = r.dialects();
        conn.serverSecurityMode = Negotiate.SECURITY_SIGNING_ENABLED
            | (req.server().config.signingRequired() ? Negotiate.SECURITY_SIGNING_REQUIRED : 0);
        int caps = 0;
        if (chosen != Dialect.SMB_2_0_2) {
            caps |= Negotiate.CAP_LARGE_MTU;
            caps |= Negotiate.CAP_LEASING; // issue 4: leases v1/v2 ([MS-SMB2] 3.3.5.4, SMB 2.1 and later)
        }
        if (chosen.isSmb3()) {
            caps |= Negotiate.CAP_DIRECTORY_LEASING; // issue 4: directory leases ([MS-SMB2] 3.3.5.9.11)
        }
        if ((chosen == Dialect.SMB_3_0 || chosen == Dialect.SMB_3_0_2) && ENCRYPTION_AVAILABLE
            && (r.capabilities() & Negotiate.CAP_ENCRYPTION) != 0) {
            caps |= Negotiate.CAP_ENCRYPTION;
            conn.cipher = CipherId.AES_128_CCM;
        }
        if (chosen.isSmb3() && (r.capabilities() & Negotiate.CAP_MULTI_CHANNEL) != 0) {
            caps |= Negotiate.CAP_MULTI_CHANNEL; // session binding ([MS-SMB2] 3.3.5.4, 3.3.5.5.2)
        }
        conn.serverCapabilities = caps;
        if (conn.signingAlgorithm == null) {
            conn.signingAlgorithm = chosen.isSmb3() ? SigningAlgorithm.AES_CMAC : SigningAlgorithm.HMAC_SHA256;
        }
        int max = chosen == Dialect.SMB_2_0_2 ? 65536 : ServerContext.MAX_IO_SIZE;
        // 1 MiB READs: a client keeping a fixed window in flight (smbclient: 16 MiB) sends more,
        // smaller reads, and reading, signing and sending overlap (measured: about 12% faster
        // than 8 MiB reads on a signed session).
        int maxRead = Math.min(max, ReadHandler.MAX_READ_SIZE);
        int maxWrite = Math.min(max, WriteHandler.MAX_WRITE_SIZE); // the same reasoning for WRITEs
        new Negotiate.Response(conn.serverSecurityMode, chosen.code(), req.server().config.serverGuid(), caps, max,
            maxRead, maxWrite, FileTime.now(), 0, SpnegoAcceptor.negotiateHint(), answers).encode(out);
        if (chosen == Dialect.SMB_3_1_1) {
            // [MS-SMB2] 3.3.5.4: hash the request now and the response once it is encoded.
            conn.preauthHash = sha512(new byte[64], req.message.duplicate().readerIndex(0));
            req.afterEncode = response -> conn.preauthHash = sha512(conn.preauthHash, response.duplicate()
                .readerIndex(0));
        }
    }

    /**
     * The SMB2 NEGOTIATE response to an SMB1 multi-protocol negotiate ([MS-SMB2] 3.3.5.3.1):
     * message id 0, one credit, no contexts; 2.0.2 completes the negotiation, 0x02FF asks for another.
     */
    static void answerSmb1(SmbConnection conn, int dialectCode, ByteBuf out) {
        ServerContext server = conn.server;
        conn.serverSecurityMode = Negotiate.SECURITY_SIGNING_ENABLED
            | (server.config.signingRequired() ? Negotiate.SECURITY_SIGNING_REQUIRED : 0);
        if (dialectCode == Dialect.SMB_2_0_2.code()) {
            conn.dialect = Dialect.SMB_2_0_2;
            conn.signingAlgorithm = SigningAlgorithm.HMAC_SHA256;
            conn.clientDialects = List.of(Dialect.SMB_2_0_2.code());
        }
        int granted = conn.credits.grant(1);
        new org.bladeshare.smb.smb2.Smb2Header(0, NtStatus.SUCCESS, 0, granted,
            org.bladeshare.smb.smb2.Smb2Header.FLAG_SERVER_TO_REDIR, 0, 0, 0, 0, 0, null).encode(out);
        new Negotiate.Response(conn.serverSecurityMode, dialectCode, server.config.serverGuid(), 0, 65536, 65536,
            65536, FileTime.now(), 0, SpnegoAcceptor.negotiateHint(), List.of()).encode(out);
    }

    private static void answerContexts(SmbConnection conn, List<Negotiate.Context> contexts,
                                       List<Negotiate.Context> answers, java.security.SecureRandom random) {
        boolean preauth = false;
        for (Negotiate.Context c : contexts) {
            ByteBuffer d = ByteBuffer.wrap(c.data()).order(ByteOrder.LITTLE_ENDIAN);
            switch (c.type()) {
                case Negotiate.CTX_PREAUTH_INTEGRITY -> {
                    int count = d.remaining() >= 4 ? Short.toUnsignedInt(d.getShort(0)) : 0;
                    for (int i = 0; i < count && 4 + 2 * i + 2 <= d.limit(); i++) {
                        preauth |= Short.toUnsignedInt(d.getShort(4 + 2 * i)) == Negotiate.HASH_SHA512;
                    }
                    if (preauth) {
                        byte[] salt = new byte[32];
                        random.nextBytes(salt);
                        ByteBuffer a = ByteBuffer.allocate(6 + 32).order(ByteOrder.LITTLE_ENDIAN);
                        a.putShort((short) 1).putShort((short) 32).putShort((short) Negotiate.HASH_SHA512).put(salt);
                        answers.add(new Negotiate.Context(Negotiate.CTX_PREAUTH_INTEGRITY, a.array()));
                    }
                }
                case Negotiate.CTX_ENCRYPTION -> {
                    List<Integer> offered = ids(d);
                    CipherId pick = null;
                    if (ENCRYPTION_AVAILABLE) {
                        for (CipherId cand : CIPHER_PREFERENCE) {
                            if (offered.contains(cand.id())) {
                                pick = cand;
                                break;
                            }
                        }
                    }
                    conn.cipher = pick;
                    answers.add(new Negotiate.Context(Negotiate.CTX_ENCRYPTION, ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1)
                        .putShort((short) (pick == null ? 0 : pick.id())).array()));
                }
                case Negotiate.CTX_SIGNING -> {
                    List<Integer> offered = ids(d);
                    // [MS-SMB2] 3.3.5.4: the first of the client's algorithms this server supports.
                    SigningAlgorithm pick = null;
                    for (int id : offered) {
                        pick = SigningAlgorithm.of(id);
                        if (pick != null) {
                            break;
                        }
                    }
                    if (pick == null) {
                        pick = SigningAlgorithm.AES_CMAC;
                    }
                    conn.signingAlgorithm = pick;
                    answers.add(new Negotiate.Context(Negotiate.CTX_SIGNING, ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1).putShort((short) pick.id()).array()));
                }
                default -> { } // compression, netname, transport, RDMA: not offered back
            }
        }
        if (!preauth) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "3.1.1 without SHA-512 preauth integrity");
        }
    }

    /** A count-prefixed list of 16-bit ids. */
    private static List<Integer> ids(ByteBuffer d) {
        List<Integer> out = new ArrayList<>();
        if (d.limit() < 2) {
            return out;
        }
        int count = Short.toUnsignedInt(d.getShort(0));
        for (int i = 0; i < count && 2 + 2 * i + 2 <= d.limit(); i++) {
            out.add(Short.toUnsignedInt(d.getShort(2 + 2 * i)));
        }
        return out;
    }

    static byte[] sha512(byte[] previous, ByteBuf message) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(previous);
            md.update(message.nioBuffer());
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ByteBuf wrap(byte[] b) {
        return Unpooled.wrappedBuffer(b);
    }
}
