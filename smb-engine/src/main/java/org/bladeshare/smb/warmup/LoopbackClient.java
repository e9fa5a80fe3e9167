package org.bladeshare.smb.warmup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.auth.NtlmV2Client;
import org.bladeshare.smb.auth.Ntlmssp;
import org.bladeshare.smb.auth.SessionKeys;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Close;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.Dialect;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Negotiate;
import org.bladeshare.smb.smb2.Read;
import org.bladeshare.smb.smb2.SessionSetup;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.smb2.TreeConnect;
import org.bladeshare.smb.smb2.Write;
import org.bladeshare.smb.transport.SigningAlgorithm;
import org.bladeshare.smb.transport.Smb2Signing;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * The smallest SMB 3.1.1 client that takes the path smbclient and Windows 11 take through the
 * server: NEGOTIATE with SHA-512 preauth integrity and AES-GMAC signing, NTLMv2 logon, signed
 * TREE_CONNECT, CREATE, WRITE, READ and CLOSE, one request at a time or, for WRITE and READ, a
 * window of them in flight as smbclient keeps (credits permitting). Used only to warm the
 * server's data path over its own loopback socket ({@link DataPathWarmUp}).
 */
final class LoopbackClient implements AutoCloseable {
    /** Credits asked for in every request: enough for a window of sixteen 1 MiB WRITEs (256) with room to spare. */
    private static final int CREDITS_ASKED = 512;
    private static final int CREDIT_SIZE = 64 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();
    private long nextMessageId;
    private long sessionId;
    private int treeId;
    private byte[] signingKey;
    private byte[] preauthHash = new byte[64];
    /** Credits granted and not yet spent ([MS-SMB2] 3.2.4.1.5); NEGOTIATE may be sent with none. */
    private long credits = 1;

    LoopbackClient(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.connect(server, 5000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
    }

    /** NEGOTIATE 3.1.1 ([MS-SMB2] 2.2.3.1: preauth integrity and signing capabilities contexts). */
    void negotiate() throws IOException {
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        ByteBuf preauth = Unpooled.buffer().writeShortLE(1).writeShortLE(salt.length)
            .writeShortLE(Negotiate.HASH_SHA512).writeBytes(salt);
        ByteBuf signing = Unpooled.buffer().writeShortLE(1).writeShortLE(SigningAlgorithm.AES_GMAC.id());
        List<Negotiate.Context> contexts = List.of(
            new Negotiate.Context(Negotiate.CTX_PREAUTH_INTEGRITY, ByteBufUtil.getBytes(preauth)),
            new Negotiate.Context(Negotiate.CTX_SIGNING, ByteBufUtil.getBytes(signing)));
        ByteBuf request = message(Smb2Command.NEGOTIATE, 0, b -> new Negotiate.Request(
            Negotiate.SECURITY_SIGNING_ENABLED, 0, UUID.randomUUID(), List.of(Dialect.SMB_3_1_1.code()), contexts)
            .encode(b));
        preauthHash = sha512(preauthHash, request);
        ByteBuf response = exchange(request, false);
        try {
            expect(response, NtStatus.SUCCESS, "NEGOTIATE");
            var r = Negotiate.Response.decode(response.duplicate().readerIndex(Smb2Header.SIZE));
            if (r.dialect() != Dialect.SMB_3_1_1.code()) {
                throw new IOException("the server chose dialect " + Integer.toHexString(r.dialect()));
            }
            boolean gmac = r.contexts().stream().anyMatch(c -> c.type() == Negotiate.CTX_SIGNING && c.data().length >= 4
                && (c.data()[2] & 0xFF | (c.data()[3] & 0xFF) << 8) == SigningAlgorithm.AES_GMAC.id());
            if (!gmac) {
                throw new IOException("the server did not choose AES-GMAC signing");
            }
            preauthHash = sha512(preauthHash, response);
        } finally {
            response.release();
        }
    }

    /** NTLMv2 logon ([MS-NLMP] 3.1.5.1.2, 3.3.2) in two SESSION_SETUP legs; the session signs from then on. */
    void logOn(String user, byte[] ntHash) throws IOException {
        int flags = Ntlmssp.NEGOTIATE_UNICODE | Ntlmssp.REQUEST_TARGET | Ntlmssp.NEGOTIATE_NTLM
            | Ntlmssp.NEGOTIATE_ALWAYS_SIGN | Ntlmssp.NEGOTIATE_EXTENDED_SESSIONSECURITY | Ntlmssp.NEGOTIATE_KEY_EXCH
            | Ntlmssp.NEGOTIATE_128 | Ntlmssp.NEGOTIATE_SIGN;
        byte[] negotiateToken = new Ntlmssp.Negotiate(flags).encode();
        ByteBuf first = message(Smb2Command.SESSION_SETUP, 0,
            b -> new SessionSetup.Request(0, Negotiate.SECURITY_SIGNING_ENABLED, 0, 0, negotiateToken).encode(b));
        byte[] hash = sha512(preauthHash, first);
        ByteBuf challengeResponse = exchange(first, false);
        Ntlmssp.Challenge challenge;
        try {
            expect(challengeResponse, NtStatus.MORE_PROCESSING_REQUIRED, "first SESSION_SETUP");
            sessionId = challengeResponse.getLongLE(challengeResponse.readerIndex() + 40);
            hash = sha512(hash, challengeResponse);
            challenge = Ntlmssp.Challenge.decode(SessionSetup.Response.decode(
                challengeResponse.duplicate().readerIndex(Smb2Header.SIZE)).token());
        } finally {
            challengeResponse.release();
        }
        NtlmV2Client.Answer answer = NtlmV2Client.answer(challenge, user, "WORKGROUP", ntHash, "WARMUP", random);
        byte[] authenticateToken = answer.token();
        ByteBuf second = message(Smb2Command.SESSION_SETUP, 0,
            b -> new SessionSetup.Request(0, Negotiate.SECURITY_SIGNING_ENABLED, 0, 0, authenticateToken).encode(b));
        hash = sha512(hash, second);
        signingKey = SessionKeys.derive(Dialect.SMB_3_1_1, null, answer.exportedSessionKey(), hash).signingKey();
        ByteBuf done = exchange(second, false);
        try {
            expect(done, NtStatus.SUCCESS, "logon");
            if (!Smb2Signing.verify(SigningAlgorithm.AES_GMAC, signingKey, done.duplicate())) {
                throw new IOException("the logon response is not signed with the session's key");
            }
        } finally {
            done.release();
        }
    }

    void connectTree(String share) throws IOException {
        ByteBuf response = call(Smb2Command.TREE_CONNECT, 1,
            b -> new TreeConnect.Request(0, "\\\\127.0.0.1\\" + share).encode(b));
        try {
            expect(response, NtStatus.SUCCESS, "TREE_CONNECT");
            treeId = response.getIntLE(response.readerIndex() + 36);
        } finally {
            response.release();
        }
    }

    /** Creates (or truncates) {@code name} for reading and writing; with {@code deleteOnClose} it goes at CLOSE. */
    FileId create(String name, boolean deleteOnClose) throws IOException {
        int access = 0x0012019F; // FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE
        int options = 0x40 | (deleteOnClose ? Create.OPT_DELETE_ON_CLOSE : 0); // FILE_NON_DIRECTORY_FILE
        ByteBuf response = call(Smb2Command.CREATE, 1, b -> new Create.Request(0, 0, 2, access | 0x00010000, 0x80,
            7, Create.OVERWRITE_IF, options, name, List.of()).encode(b));
        try {
            expect(response, NtStatus.SUCCESS, "CREATE " + name);
            return Create.Response.decode(response.duplicate().readerIndex(Smb2Header.SIZE)).fileId();
        } finally {
            response.release();
        }
    }

    void write(FileId file, long offset, ByteBuf data) throws IOException {
        writeAll(file, data, new long[] {offset}, 1);
    }

    /** Reads {@code length} bytes and returns how many came back. */
    long read(FileId file, long offset, int length) throws IOException {
        return readAll(file, length, new long[] {offset}, 1);
    }

    /** WRITEs {@code data} at each offset with up to {@code window} WRITEs in flight; returns the bytes written. */
    long writeAll(FileId file, ByteBuf data, long[] offsets, int window) throws IOException {
        int length = data.readableBytes();
        return pipeline(offsets.length, window, charge(length), i -> message(Smb2Command.WRITE, charge(length),
            b -> new Write.Request(offsets[i], file, 0, 0, data.duplicate()).encode(b)),
            response -> response.getUnsignedIntLE(response.readerIndex() + Smb2Header.SIZE + 4), "WRITE");
    }

    /** READs {@code length} bytes at each offset with up to {@code window} READs in flight; returns the bytes read. */
    long readAll(FileId file, int length, long[] offsets, int window) throws IOException {
        return pipeline(offsets.length, window, charge(length), i -> message(Smb2Command.READ, charge(length),
            b -> new Read.Request(0, length, offsets[i], file, 0, 0).encode(b)),
            response -> response.getUnsignedIntLE(response.readerIndex() + Smb2Header.SIZE + 4), "READ");
    }

    /**
     * Sends {@code count} requests keeping up to {@code window} in flight (and no more than the
     * credits granted pay for), checks every response's status and signature, and sums what
     * {@code counted} reads from each. Responses may come back in any order.
     */
    private long pipeline(int count, int window, int charge, IntFunction<ByteBuf> request, ToLongFunction<ByteBuf> counted,
                          String what) throws IOException {
        long total = 0;
        int sent = 0;
        int done = 0;
        while (done < count) {
            while (sent < count && sent - done < window && credits >= charge) {
                send(request.apply(sent), true);
                sent++;
            }
            if (sent == done) {
                throw new IOException("the server granted too few credits for a " + what + " (" + credits + ")");
            }
            ByteBuf response = receiveSigned(what);
            try {
                expect(response, NtStatus.SUCCESS, what);
                total += counted.applyAsLong(response);
            } finally {
                response.release();
            }
            done++;
        }
        return total;
    }

    void close(FileId file) throws IOException {
        ByteBuf response = call(Smb2Command.CLOSE, 1, b -> new Close.Request(0, file).encode(b));
        try {
            expect(response, NtStatus.SUCCESS, "CLOSE");
        } finally {
            response.release();
        }
    }

    void logOff() throws IOException {
        call(Smb2Command.LOGOFF, 1, b -> b.writeShortLE(4).writeShortLE(0)).release();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static int charge(int bytes) {
        return Math.max(1, (bytes + CREDIT_SIZE - 1) / CREDIT_SIZE); // [MS-SMB2] 3.2.4.1.5
    }

    private ByteBuf message(int command, int charge, Consumer<ByteBuf> body) {
        ByteBuf m = Unpooled.buffer(256);
        new Smb2Header(charge, 0, command, CREDITS_ASKED, 0, 0, nextMessageId, 0, treeId, sessionId, null).encode(m);
        nextMessageId += Math.max(1, charge);
        credits -= Math.max(1, charge);
        body.accept(m);
        return m;
    }

    /** A signed request and its response, whose signature is checked. */
    private ByteBuf call(int command, int charge, Consumer<ByteBuf> body) throws IOException {
        send(message(command, charge, body), true);
        return receiveSigned("command " + command);
    }

    /** The next final response, once its signature is checked with the session's key. */
    private ByteBuf receiveSigned(String what) throws IOException {
        ByteBuf response = receive();
        if (!Smb2Signing.verify(SigningAlgorithm.AES_GMAC, signingKey, response.duplicate())) {
            response.release();
            throw new IOException("a response to " + what + " is not signed with the session's key");
        }
        return response;
    }

    private ByteBuf exchange(ByteBuf request, boolean sign) throws IOException {
        send(request, sign);
        return receive();
    }

    private void send(ByteBuf request, boolean sign) throws IOException {
        try {
            if (sign) {
                Smb2Signing.sign(SigningAlgorithm.AES_GMAC, signingKey, request);
            }
            int len = request.readableBytes();
            out.write(new byte[] {0, (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
            request.readBytes(out, len);
            out.flush();
        } finally {
            request.release();
        }
    }

    /** The next final response; interim ones ([MS-SMB2] 3.3.4.2) only add their credits. */
    private ByteBuf receive() throws IOException {
        while (true) {
            int len = in.readInt() & 0x00FFFFFF;
            byte[] frame = new byte[len];
            in.readFully(frame);
            ByteBuf response = Unpooled.wrappedBuffer(frame);
            if (len >= Smb2Header.SIZE) {
                credits += response.getUnsignedShortLE(14); // CreditResponse
            }
            if (len >= Smb2Header.SIZE && (response.getIntLE(16) & Smb2Header.FLAG_ASYNC) != 0
                && response.getIntLE(8) == NtStatus.PENDING) {
                continue;
            }
            return response;
        }
    }

    private static void expect(ByteBuf response, int status, String what) throws IOException {
        int got = response.getIntLE(response.readerIndex() + 8);
        if (got != status) {
            throw new IOException(what + " answered " + NtStatus.name(got));
        }
    }

    private static byte[] sha512(byte[] previous, ByteBuf message) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(previous);
            md.update(ByteBufUtil.getBytes(message, message.readerIndex(), message.readableBytes(), false));
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
