package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.ErrorResponse;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.transport.Smb2Signing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves one frame: splits a compound chain, checks credits, session, signature and tree,
 * runs the command's handler, then signs and sends the responses ([MS-SMB2] 3.3.5.2).
 */
public final class Smb2Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Smb2Dispatcher.class);
    private static final int SMB1_PROTOCOL_ID = 0xFF534D42;
    private static final int MAX_CHAIN = 64;

    private final CommandHandler[] handlers = new CommandHandler[Smb2Command.COUNT];

    public Smb2Dispatcher() {
        handlers[Smb2Command.NEGOTIATE] = new NegotiateHandler();
        handlers[Smb2Command.SESSION_SETUP] = new SessionSetupHandler();
        handlers[Smb2Command.LOGOFF] = new LogoffHandler();
        handlers[Smb2Command.TREE_CONNECT] = new TreeConnectHandler();
        handlers[Smb2Command.TREE_DISCONNECT] = new TreeDisconnectHandler();
        handlers[Smb2Command.CREATE] = new CreateHandler();
        handlers[Smb2Command.CLOSE] = new CloseHandler();
        handlers[Smb2Command.FLUSH] = new FlushHandler();
        handlers[Smb2Command.READ] = new ReadHandler();
        handlers[Smb2Command.WRITE] = new WriteHandler();
        handlers[Smb2Command.LOCK] = new LockHandler();
        handlers[Smb2Command.IOCTL] = new IoctlHandler();
        handlers[Smb2Command.ECHO] = new EchoHandler();
        handlers[Smb2Command.QUERY_DIRECTORY] = new QueryDirectoryHandler();
        handlers[Smb2Command.CHANGE_NOTIFY] = new ChangeNotifyHandler();
        handlers[Smb2Command.QUERY_INFO] = new QueryInfoHandler();
        handlers[Smb2Command.SET_INFO] = new SetInfoHandler();
        handlers[Smb2Command.OPLOCK_BREAK] = new OplockBreakHandler();
    }

    /**
     * An encoded response waiting to be signed and sent; {@code suspends} is the asynchronous
     * CREATE the rest of its chain must wait for, or null.
     */
    private record Reply(ByteBuf message, Session signer, AsyncOp suspends, java.util.function.Consumer<ByteBuf> afterSign) {
        Reply(ByteBuf message, Session signer) {
            this(message, signer, null, null);
        }
    }

    void process(SmbConnection conn, ByteBuf frame) {
        if (frame.readableBytes() < 4) {
            conn.disconnect("runt frame");
            return;
        }
        int protocol = frame.getInt(frame.readerIndex());
        if (protocol == Smb2Header.PROTOCOL_ID) {
            processChain(conn, frame, null);
        } else if (protocol == SMB1_PROTOCOL_ID) {
            ByteBuf reply = Smb1Negotiate.answer(conn, frame, this); // sent by answer() itself
            if (reply == null) {
                conn.disconnect("SMB1 without SMB2 dialects");
            }
        } else if (protocol == Transform.PROTOCOL_ID) {
            ByteBuf plain;
            Session session;
            try {
                session = Transform.sessionOf(conn, frame);
                plain = Transform.decrypt(conn, session, frame);
            } catch (NtStatusException e) {
                conn.disconnect("undecryptable transform: " + e.getMessage());
                return;
            }
            try {
                processChain(conn, plain, session);
            } finally {
                plain.release();
            }
        } else {
            conn.disconnect("unknown protocol id");
        }
    }

    /** Serves a plaintext frame of one or more SMB2 messages. */
    void processChain(SmbConnection conn, ByteBuf frame, Session encryptedBy) {
        serveChain(conn, frame, frame.readerIndex(), 0, new Request.Chain(), encryptedBy);
    }

    /**
     * Serves the messages of a chain from {@code pos} ({@code index} is the position of the
     * first of them in the chain). A CREATE that goes asynchronous in the middle of a chain (an
     * oplock break) suspends it: the responses so far go out, and the rest of the chain is
     * served once the CREATE's final response is sent ([MS-SMB2] 3.3.4.2, 3.3.5.2.7).
     */
    private void serveChain(SmbConnection conn, ByteBuf frame, int pos, int index, Request.Chain chain,
                            Session encryptedBy) {
        List<Reply> replies = new ArrayList<>();
        int end = frame.writerIndex();
        try {
            for (int i = index; i < MAX_CHAIN; i++) {
                if (end - pos < Smb2Header.SIZE) {
                    conn.disconnect("truncated SMB2 message");
                    return;
                }
                int next = frame.getIntLE(pos + 20);
                int len = next == 0 ? end - pos : next;
                if (next != 0 && ((next & 7) != 0 || next < Smb2Header.SIZE || pos + next > end)) {
                    conn.disconnect("bad NextCommand");
                    return;
                }
                ByteBuf msg = frame.slice(pos, len);
                Reply reply = serveOne(conn, msg, chain, encryptedBy, i == 0, next == 0);
                if (reply == null && conn.channel != null && !conn.channel.isActive()) {
                    return;
                }
                if (reply != null) {
                    replies.add(reply);
                }
                if (next == 0) {
                    break;
                }
                pos += next;
                if (reply != null && reply.suspends() != null) {
                    int resumeAt = pos;
                    int resumeIndex = i + 1;
                    frame.retain();
                    reply.suspends().afterFinal = status -> {
                        try {
                            if (status != NtStatus.SUCCESS) {
                                chain.fileId = null;
                                chain.createError = status;
                            }
                            if (conn.channel != null && conn.channel.isActive()) {
                                serveChain(conn, frame, resumeAt, resumeIndex, chain, encryptedBy);
                            }
                        } finally {
                            frame.release();
                        }
                    };
                    break;
                }
            }
            send(conn, replies, encryptedBy);
            replies.clear();
        } finally {
            replies.forEach(r -> r.message().release());
        }
    }

    private Reply serveOne(SmbConnection conn, ByteBuf msg, Request.Chain chain, Session encryptedBy, boolean first,
                           boolean last) {
        Smb2Header h;
        try {
            h = Smb2Header.decode(msg);
        } catch (NtStatusException e) {
            conn.disconnect(e.getMessage());
            return null;
        }
        if (h.command() == Smb2Command.CANCEL) {
            cancel(conn, h);
            return null; // [MS-SMB2] 3.3.5.16: CANCEL itself gets no response
        }
        if (!conn.credits.consume(h.messageId(), h.creditCharge())) {
            conn.disconnect("message id " + h.messageId() + " outside the credit window");
            return null;
        }
        Request req = new Request(conn, h, msg, encryptedBy, chain);
        ByteBuf out = conn.channel.alloc().buffer(512);
        out.writeZero(Smb2Header.SIZE);
        try {
            // [MS-SMB2] 3.3.5.2.7.2: a related request inherits session, tree and file from the one
            // before; an unrelated one starts afresh, so a later related request cannot reach back
            // past it to an older file.
            boolean related = h.isRelated() && !first;
            if (!related) {
                chain.fileId = null;
                chain.createError = NtStatus.SUCCESS;
            }
            long sessionId = related ? chain.sessionId : h.sessionId();
            Session known = sessionId == 0 ? null : conn.sessions.get(sessionId);
            if (known != null && known.canSign() && known.state == Session.State.VALID) {
                req.session = known; // provisional: early refusals are still signed, as clients expect
            }
            if (h.isRelated() && first) {
                chain.sessionFailed = true; // the related requests after it fail the same way
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "first message marked related");
            }
            int treeId = related ? chain.treeId : h.treeId();
            req.responseSessionId = sessionId;
            if (h.command() >= Smb2Command.COUNT || handlers[h.command()] == null) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "unknown command");
            }
            CommandHandler handler = handlers[h.command()];
            if (conn.dialect == null && h.command() != Smb2Command.NEGOTIATE) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "not negotiated");
            }
            if (related && chain.sessionFailed) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "related to a request without a session");
            }
            chain.sessionFailed = true;
            lookUpSession(req, handler, sessionId);
            chain.sessionFailed = false;
            checkCreditCharge(req);
            if (handler.needsTree()) {
                Tree tree = req.session.trees.get(treeId);
                if (tree == null) {
                    throw new NtStatusException(NtStatus.NETWORK_NAME_DELETED);
                }
                if (tree.encrypt() && encryptedBy == null) {
                    throw new NtStatusException(NtStatus.ACCESS_DENIED, "share requires encryption");
                }
                req.tree = tree;
            }
            chain.sessionId = sessionId;
            chain.treeId = treeId;
            handler.handle(req, out);
            if (req.payload != null) {
                out = conn.channel.alloc().compositeDirectBuffer(2).addComponents(true, out, req.payload);
                req.payload = null;
            }
            if (req.async != null && !last && h.command() != Smb2Command.CREATE) {
                // [MS-SMB2] 3.3.5.2.7 and its Windows note: only the last request of a compound
                // chain may go asynchronous; a pending one in the middle is withdrawn, never left hanging.
                if (req.async.abandon()) {
                    req.async = null;
                    throw new NtStatusException(NtStatus.INTERNAL_ERROR, "asynchronous request inside a compound chain");
                }
            }
        } catch (NtStatusException e) {
            req.status = e.status();
            if (h.command() == Smb2Command.CREATE) {
                chain.fileId = null;
                chain.createError = e.status();
            }
            out.writerIndex(Smb2Header.SIZE);
            ErrorResponse.encode(out);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} -> {} ({})", Smb2Command.name(h.command()), NtStatus.name(e.status()), e.getMessage());
            }
        } catch (IndexOutOfBoundsException e) {
            // a length or offset inside the body pointed outside it
            req.status = NtStatus.INVALID_PARAMETER;
            out.writerIndex(Smb2Header.SIZE);
            ErrorResponse.encode(out);
            LOG.debug("{} malformed: {}", Smb2Command.name(h.command()), e.getMessage());
        } catch (Exception e) {
            req.status = e instanceof IOException ? IoStatus.of((IOException) e) : NtStatus.INTERNAL_ERROR;
            if (req.status == NtStatus.INTERNAL_ERROR) {
                LOG.warn("{} failed", Smb2Command.name(h.command()), e);
            }
            out.writerIndex(Smb2Header.SIZE);
            ErrorResponse.encode(out);
        }
        if (h.command() == Smb2Command.TREE_CONNECT && req.status == NtStatus.SUCCESS) {
            chain.treeId = req.tree.id();
        }
        if (h.command() == Smb2Command.SESSION_SETUP) {
            chain.sessionId = req.responseSessionId;
        }
        int granted = conn.credits.grant(Math.max(h.credits(), 1));
        int flags = Smb2Header.FLAG_SERVER_TO_REDIR | (h.flags() & (Smb2Header.FLAG_RELATED
            | Smb2Header.FLAG_PRIORITY_MASK));
        int treeId = req.tree != null ? req.tree.id() : (h.isRelated() ? chain.treeId : h.treeId());
        long asyncId = 0;
        if (req.async != null && req.status == NtStatus.SUCCESS) {
            // Interim response ([MS-SMB2] 3.3.4.2): STATUS_PENDING, the AsyncId, and the credits.
            req.status = NtStatus.PENDING;
            flags |= Smb2Header.FLAG_ASYNC;
            asyncId = req.async.asyncId;
            out.writerIndex(Smb2Header.SIZE);
            ErrorResponse.encode(out);
        }
        int writer = out.writerIndex();
        out.writerIndex(0);
        new Smb2Header(h.creditCharge(), req.status, h.command(), granted, flags, 0, h.messageId(), asyncId, treeId,
            req.responseSessionId, null).encode(out);
        out.writerIndex(writer);
        Session signer = null;
        if (encryptedBy == null && req.session != null && req.session.canSign()
            && (h.isSigned() || req.session.signingRequired || req.signWithNewSession)) {
            signer = req.session;
        } else if (encryptedBy == null && req.session == null && h.isSigned() && chain.lastSigner != null) {
            // A signed request of a compound naming a session we do not know: its refusal is signed
            // with the key of the chain's session, the only key its sender can check.
            signer = chain.lastSigner;
        }
        if (signer != null) {
            chain.lastSigner = signer;
        }
        boolean suspends = req.async != null && !last && h.command() == Smb2Command.CREATE;
        return new Reply(out, signer, suspends ? req.async : null, req.afterEncode);
    }

    /** [MS-SMB2] 3.3.5.16: finds the pending request by AsyncId (or MessageId) of the same session. */
    private static void cancel(SmbConnection conn, Smb2Header h) {
        for (AsyncOp op : List.copyOf(conn.asyncOps.values())) {
            boolean match = h.isAsync() ? op.asyncId == h.asyncId() : op.messageId == h.messageId();
            if (match && op.session.id == h.sessionId()) {
                op.cancel();
            }
        }
    }

    private void lookUpSession(Request req, CommandHandler handler, long sessionId) {
        Session s = sessionId == 0 ? null : req.connection.sessions.get(sessionId);
        Smb2Header h = req.header;
        if (h.command() == Smb2Command.SESSION_SETUP) {
            req.session = s; // the handler creates or validates
            // [MS-SMB2] 3.3.5.2.4: re-authentication (or a second bind) on a signed session must be
            // signed with this channel's key
            if (s != null && s.state == Session.State.VALID && s.canSign() && req.encryptedBy == null
                && (h.isSigned() || s.signingRequired)) {
                verifySignature(req, s);
            }
            return;
        }
        if (!handler.needsSession()) {
            if (s != null && s.state == Session.State.VALID) {
                req.session = s;
                if (h.isSigned() && req.encryptedBy == null) {
                    verifySignature(req, s);
                }
            }
            return;
        }
        if (s == null || s.state != Session.State.VALID) {
            if (s != null && s.state == Session.State.EXPIRED) {
                req.session = s; // signs the refusal
            } else if (s == null && sessionId != 0) {
                // A live session this connection is not (yet) bound to: the refusal is signed with
                // Session.SigningKey, the only key its client can check on this connection.
                Session elsewhere = req.server().sessions.get(sessionId);
                if (elsewhere != null && elsewhere.state == Session.State.VALID && elsewhere.canSign()) {
                    req.session = elsewhere;
                }
            }
            throw new NtStatusException(NtStatus.USER_SESSION_DELETED);
        }
        if (req.encryptedBy == null) {
            if (h.isSigned()) {
                verifySignature(req, s);
            } else if (s.signingRequired) {
                throw new NtStatusException(NtStatus.ACCESS_DENIED, "unsigned request on a signed session");
            }
        } else if (req.encryptedBy != s) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "encrypted for another session");
        }
        req.session = s;
    }

    private static void verifySignature(Request req, Session s) {
        SmbConnection conn = req.connection;
        if (!Smb2Signing.verify(s.signingAlgorithm(conn), s.signingKey(conn), req.message.duplicate().readerIndex(0))) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "bad signature");
        }
    }

    /** [MS-SMB2] 3.3.5.2.5: a large READ or WRITE must pay one credit per 64 KiB. */
    private static void checkCreditCharge(Request req) {
        if (req.connection.dialect == null || req.connection.dialect.code() < 0x0210) {
            return;
        }
        if (req.message.writerIndex() < Smb2Header.SIZE + 8) {
            return; // too short to be a READ or WRITE; the decoder refuses it
        }
        long payload = switch (req.header.command()) {
            case Smb2Command.READ -> req.message.getUnsignedIntLE(Smb2Header.SIZE + 4);
            case Smb2Command.WRITE -> req.message.getUnsignedIntLE(Smb2Header.SIZE + 4);
            default -> 0;
        };
        long needed = Math.max(1, (payload + 65535) / 65536);
        if (payload > 0 && Math.max(1, req.header.creditCharge()) < needed) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "credit charge too small");
        }
    }

    private void send(SmbConnection conn, List<Reply> replies, Session encryptedBy) {
        if (replies.isEmpty() || conn.channel == null || !conn.channel.isActive()) {
            return;
        }
        CompositeByteBuf all = conn.channel.alloc().compositeBuffer(replies.size() * 2);
        for (int i = 0; i < replies.size(); i++) {
            ByteBuf m = replies.get(i).message();
            if (i + 1 < replies.size()) {
                while ((m.writerIndex() & 7) != 0) {
                    m.writeByte(0);
                }
                m.setIntLE(20, m.writerIndex());
            }
            Session signer = replies.get(i).signer();
            if (signer != null) {
                Smb2Signing.sign(signer.signingAlgorithm(conn), signer.signingKey(conn), m); // the channel's key
            }
            if (replies.get(i).afterSign() != null) {
                // the 3.1.1 preauth hash covers the response as sent, signature included (a binding's
                // MORE_PROCESSING_REQUIRED answers are signed)
                replies.get(i).afterSign().accept(m);
            }
            all.addComponent(true, m);
        }
        replies.clear();
        ByteBuf wire = all;
        if (encryptedBy != null) {
            try {
                wire = Transform.encrypt(conn, encryptedBy, all);
            } finally {
                if (wire != all) {
                    all.release();
                }
            }
        }
        conn.channel.writeAndFlush(wire);
    }

    /** Sends one message outside a request chain (async final responses), signed or encrypted. */
    void sendOne(SmbConnection conn, ByteBuf message, Session signer, Session encryptedBy) {
        List<Reply> one = new ArrayList<>();
        one.add(new Reply(message, signer));
        try {
            send(conn, one, encryptedBy);
        } finally {
            one.forEach(r -> r.message().release());
        }
    }

    /** Replies are released on every path; used by the SMB1 negotiate upgrade. */
    void serveSynthetic(SmbConnection conn, ByteBuf smb2Negotiate) {
        processChain(conn, smb2Negotiate, null);
    }

}
