package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.auth.Crypto;
import org.bladeshare.smb.auth.Ntlmssp;
import org.bladeshare.smb.smb2.Negotiate;
import org.bladeshare.smb.smb2.SessionSetup;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.smb2.TreeConnect;
import org.bladeshare.smb.transport.SigningAlgorithm;
import org.bladeshare.smb.transport.Smb2Signing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A deliberately small SMB 2.1 client for protocol tests the real clients cannot make: compound
 * chains, tampered signatures, replayed message ids, garbage. Signs with HMAC-SHA256; after
 * {@link #negotiate(List, int)} of SMB 3.0.2, with AES-CMAC, and it can bind a second connection
 * to a session ({@link #bind}).
 */
final class RawClient implements AutoCloseable {
    /** One response message: header and the whole message (header first). */
    record Reply(Smb2Header header, ByteBuf message) {
        int status() {
            return header.status();
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    long nextMessageId;
    long sessionId;
    int treeId;
    byte[] signingKey;
    SigningAlgorithm signingAlgorithm = SigningAlgorithm.HMAC_SHA256;
    /** The negotiated dialect and the server's capabilities. */
    int dialect;
    int serverCapabilities;
    /** The server's MaxWriteSize from the NEGOTIATE response. */
    int maxWriteSize;
    /** The ClientGuid this connection negotiates with; channels of one multichannel client share it. */
    UUID clientGuid = UUID.randomUUID();
    /** Dialects {@link #negotiate()} offers: 2.0.2 and 2.1, or 3.0 after {@link #useSmb30()}. */
    private List<Integer> dialects = List.of(0x0202, 0x0210);

    /**
     * Waits, up to 10 s, until the server has sent this connection something it has not read yet,
     * and leaves it unread. Tells whether it came.
     */
    boolean awaitUnread() throws IOException, InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (in.available() == 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5); // polling the socket's receive queue
        }
        return true;
    }

    RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Builds one request message: header (credit charge 1, asking 64 credits) and body. */
    ByteBuf message(int command, int flags, Consumer<ByteBuf> body) {
        return message(command, flags, 1, body);
    }

    /** Builds one request message charging {@code charge} credits (ids), asking 64 credits. */
    ByteBuf message(int command, int flags, int charge, Consumer<ByteBuf> body) {
        ByteBuf m = Unpooled.buffer();
        new Smb2Header(charge, 0, command, 64, flags, 0, nextMessageId, 0, treeId, sessionId, null).encode(m);
        nextMessageId += Math.max(1, charge);
        body.accept(m);
        return m;
    }

    void sign(ByteBuf m) {
        Smb2Signing.sign(signingAlgorithm, signingKey, m);
    }

    /** Offers SMB 3.0 only in {@link #negotiate()} (before logging on): AES-CMAC signing with the derived key, v2 leases. */
    RawClient useSmb30() {
        dialects = List.of(0x0300);
        return this;
    }

    /** Sends messages as one frame, chaining them with NextCommand (padded to 8 bytes). */
    void sendChain(List<ByteBuf> messages, boolean signed) throws IOException {
        ByteBuf frame = Unpooled.buffer();
        for (int i = 0; i < messages.size(); i++) {
            ByteBuf m = messages.get(i);
            if (i + 1 < messages.size()) {
                while ((m.writerIndex() & 7) != 0) {
                    m.writeByte(0);
                }
                m.setIntLE(20, m.writerIndex());
            }
            if (signed) {
                sign(m);
            }
            frame.writeBytes(m);
        }
        sendRaw(ByteBufUtil.getBytes(frame));
    }

    void sendRaw(byte[] bytes) throws IOException {
        byte[] frame = new byte[4 + bytes.length];
        frame[1] = (byte) (bytes.length >>> 16);
        frame[2] = (byte) (bytes.length >>> 8);
        frame[3] = (byte) bytes.length;
        System.arraycopy(bytes, 0, frame, 4, bytes.length);
        out.write(frame);
        out.flush();
    }

    /** Reads one frame and splits it into its messages. */
    List<Reply> receive() throws IOException {
        int len = in.readInt() & 0x00FFFFFF;
        byte[] frame = new byte[len];
        in.readFully(frame);
        List<Reply> replies = new ArrayList<>();
        int pos = 0;
        while (true) {
            ByteBuf all = Unpooled.wrappedBuffer(frame);
            int next = all.getIntLE(pos + 20);
            ByteBuf m = all.slice(pos, next == 0 ? len - pos : next);
            replies.add(new Reply(Smb2Header.decode(m.duplicate()), m));
            if (next == 0) {
                return replies;
            }
            pos += next;
        }
    }

    Reply call(int command, Consumer<ByteBuf> body) throws IOException {
        ByteBuf m = message(command, 0, body);
        sendChain(List.of(m), signingKey != null);
        return receive().getFirst();
    }

    /** True when the server closed the connection (read hits end of stream) within the timeout. */
    boolean closedByServer() {
        try {
            while (true) {
                receive();
            }
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** NEGOTIATE offering 2.0.2 and 2.1 (or 3.0 after {@link #useSmb30()}). */
    void negotiate() throws IOException {
        negotiate(dialects, 0);
    }

    /** NEGOTIATE offering {@code dialects} (no 3.1.1: no negotiate contexts) and {@code capabilities}. */
    void negotiate(List<Integer> dialects, int capabilities) throws IOException {
        Reply neg = call(Smb2Command.NEGOTIATE, b -> new Negotiate.Request(Negotiate.SECURITY_SIGNING_ENABLED,
            capabilities, clientGuid, dialects, List.of()).encode(b));
        if (neg.status() != 0) {
            throw new IOException("negotiate failed " + Integer.toHexString(neg.status()));
        }
        var r = Negotiate.Response.decode(neg.message().duplicate().readerIndex(Smb2Header.SIZE));
        dialect = r.dialect();
        serverCapabilities = r.capabilities();
        maxWriteSize = r.maxWriteSize();
        signingAlgorithm = dialect >= 0x0300 ? SigningAlgorithm.AES_CMAC : SigningAlgorithm.HMAC_SHA256;
    }

    /**
     * Binds this (negotiated) connection to {@code session}'s session as a new channel
     * ([MS-SMB2] 3.2.5.3.1): the exchange is signed with the session's key, and from then on this
     * connection signs with its own channel key. Fails with the server's status.
     */
    void bind(RawClient session, String user, String password) throws IOException {
        sessionId = session.sessionId;
        treeId = session.treeId;
        signingKey = session.signingKey;
        authenticate(user, password, 0, SessionSetup.FLAG_BINDING);
    }

    /** NEGOTIATE 2.1, NTLMv2 SESSION_SETUP (raw NTLMSSP tokens), TREE_CONNECT. */
    void logOn(String user, String password, String share) throws IOException {
        logOn(user, password, share, 0);
    }

    /** As {@link #logOn(String, String, String)}, naming a previous session to replace. */
    void logOn(String user, String password, String share, long previousSessionId) throws IOException {
        negotiate();
        authenticate(user, password, previousSessionId);
        connectTree(share);
    }

    /** TREE_CONNECT to {@code share} on the current session. */
    void connectTree(String share) throws IOException {
        Reply t = call(Smb2Command.TREE_CONNECT, b -> new TreeConnect.Request(0, "\\\\127.0.0.1\\" + share)
            .encode(b));
        if (t.status() != 0) {
            throw new IOException("tree connect failed " + Integer.toHexString(t.status()));
        }
        treeId = t.header().treeId();
    }

    /**
     * One NTLMv2 SESSION_SETUP exchange. With no session yet it creates one (naming
     * {@code previousSessionId}); on an established session it re-authenticates, signed with the
     * session's key, which the server must keep.
     */
    void authenticate(String user, String password, long previousSessionId) throws IOException {
        authenticate(user, password, previousSessionId, 0);
    }

    private void authenticate(String user, String password, long previousSessionId, int setupFlags)
        throws IOException {
        boolean binding = (setupFlags & SessionSetup.FLAG_BINDING) != 0;
        boolean reauth = signingKey != null && !binding;
        int flags = Ntlmssp.NEGOTIATE_UNICODE | Ntlmssp.REQUEST_TARGET | Ntlmssp.NEGOTIATE_NTLM
            | Ntlmssp.NEGOTIATE_ALWAYS_SIGN | Ntlmssp.NEGOTIATE_EXTENDED_SESSIONSECURITY | Ntlmssp.NEGOTIATE_KEY_EXCH
            | Ntlmssp.NEGOTIATE_128 | Ntlmssp.NEGOTIATE_SIGN;
        byte[] negotiate = new Ntlmssp.Negotiate(flags).encode();
        Reply r1 = call(Smb2Command.SESSION_SETUP, b -> new SessionSetup.Request(setupFlags, 1, 0, previousSessionId,
            negotiate).encode(b));
        if (r1.status() != 0xC0000016) {
            throw new IOException("first SESSION_SETUP leg answered " + Integer.toHexString(r1.status()));
        }
        sessionId = r1.header().sessionId();
        var challenge = Ntlmssp.Challenge.decode(SessionSetup.Response.decode(
            r1.message().duplicate().readerIndex(Smb2Header.SIZE)).token());
        var answer = org.bladeshare.smb.auth.NtlmV2Client.answer(challenge, user, "WORKGROUP", Crypto.ntHash(password),
            "RAWCLIENT", new SecureRandom());
        byte[] auth = answer.token();
        byte[] exported = answer.exportedSessionKey();
        Reply r2 = call(Smb2Command.SESSION_SETUP, b -> new SessionSetup.Request(setupFlags, 1, 0, previousSessionId,
            auth).encode(b));
        if (r2.status() != 0) {
            throw new IOException("logon failed " + Integer.toHexString(r2.status()));
        }
        if (!reauth) {
            // a new session's key, or a bound channel's ([MS-SMB2] 3.2.5.3.1): SMB 3 derives it
            signingKey = dialect >= 0x0300 ? org.bladeshare.smb.auth.SessionKeys.derive(
                org.bladeshare.smb.smb2.Dialect.of(dialect), null, exported, null).signingKey() : exported;
        }
        if (!Smb2Signing.verify(signingAlgorithm, signingKey, r2.message().duplicate())) {
            throw new IOException("final SESSION_SETUP response not signed with the session key");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static byte[] copy(ByteBuf b) {
        return Arrays.copyOf(ByteBufUtil.getBytes(b), b.readableBytes());
    }
}
