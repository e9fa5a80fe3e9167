package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.auth.AuthException;
import org.bladeshare.smb.auth.NtlmServer;
import org.bladeshare.smb.auth.SessionKeys;
import org.bladeshare.smb.auth.SpnegoAcceptor;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Dialect;
import org.bladeshare.smb.smb2.Negotiate;
import org.bladeshare.smb.smb2.SessionSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMB2 SESSION_SETUP ([MS-SMB2] 3.3.5.5): runs SPNEGO/NTLMSSP, keeps the 3.1.1 preauth hash,
 * derives the session's keys when authentication completes; with the binding flag, adds this
 * connection as a channel of an existing session (3.3.5.5.2) with its own signing key.
 */
final class SessionSetupHandler implements CommandHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSetupHandler.class);

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
        var r = SessionSetup.Request.decode(req.message);
        if ((r.flags() & SessionSetup.FLAG_BINDING) != 0) {
            bind(req, r, out);
            return;
        }
        Session session;
        boolean fresh = false;
        if (req.header.sessionId() == 0) {
            session = new Session(req.server().newSessionId());
            session.preauthHash = conn.preauthHash;
            conn.sessions.put(session.id, session);
            session.channels.put(conn.id, new SessionChannel(conn));
            req.server().sessions.put(session.id, session);
            fresh = true;
        } else {
            session = conn.sessions.get(req.header.sessionId());
            if (session == null) {
                // A session this connection is not a channel of, without the binding flag
                // ([MS-SMB2] 3.3.5.5): refused, and signed with that session's key, as Samba and Windows answer.
                Session elsewhere = findValid(conn, req.header.sessionId());
                if (elsewhere != null) {
                    req.session = elsewhere;
                }
                throw new NtStatusException(NtStatus.USER_SESSION_DELETED);
            }
            if (session.state == Session.State.EXPIRED) {
                throw new NtStatusException(NtStatus.USER_SESSION_DELETED);
            }
            if (session.state == Session.State.VALID && session.acceptor == null) {
                // Re-authentication ([MS-SMB2] 3.3.5.5.2): start a new exchange on the same session.
                session.preauthHash = conn.preauthHash;
            }
        }
        req.responseSessionId = session.id;
        if (session.acceptor == null) {
            session.acceptor = newAcceptor(req);
        }
        boolean v311 = conn.dialect == Dialect.SMB_3_1_1;
        if (v311 && session.preauthHash != null) {
            session.preauthHash = NegotiateHandler.sha512(session.preauthHash, req.message.duplicate().readerIndex(0));
        }
        SpnegoAcceptor.Step step;
        try {
            step = session.acceptor.accept(r.token());
        } catch (AuthException e) {
            LOG.info("logon failure from {}: {}", conn.channel.remoteAddress(), e.getMessage());
            session.acceptor = null;
            if (!fresh && session.state == Session.State.VALID) {
                // A failed re-authentication ends the session on every channel ([MS-SMB2] 3.3.5.5.3):
                // its opens close and later requests get USER_SESSION_DELETED, signed like after a
                // LOGOFF (the record stays, EXPIRED, until its connections close).
                end(conn, session);
            } else {
                conn.sessions.remove(session.id);
                req.server().sessions.remove(session.id, session);
            }
            throw new NtStatusException(e instanceof org.bladeshare.smb.auth.MalformedTokenException
                ? NtStatus.INVALID_PARAMETER : NtStatus.LOGON_FAILURE, e.getMessage());
        }
        if (!step.done()) {
            req.status = NtStatus.MORE_PROCESSING_REQUIRED;
            new SessionSetup.Response(0, step.token()).encode(out);
            if (v311) {
                req.afterEncode = response -> session.preauthHash = NegotiateHandler.sha512(session.preauthHash,
                    response.duplicate().readerIndex(0));
            }
            return;
        }
        session.acceptor = null;
        if (step.result().anonymous() && session.state == Session.State.VALID && session.keys != null) {
            // Re-authentication as anonymous ([MS-SMB2] 3.3.5.5.3): the session keeps its keys and
            // its opens; only the identity changes.
            session.user = "";
            req.session = session;
            req.signWithNewSession = true;
            new SessionSetup.Response(0, step.token()).encode(out);
            return;
        }
        if (step.result().anonymous()) {
            // [MS-SMB2] 3.3.5.5.3: a null session has no session key, so it neither signs nor encrypts.
            session.anonymous = true;
            session.user = "";
            session.keys = null;
            session.signingRequired = false;
            session.state = Session.State.VALID;
            req.session = session;
            LOG.debug("anonymous session {} established", Long.toHexString(session.id));
            new SessionSetup.Response(SessionSetup.SESSION_FLAG_IS_NULL, step.token()).encode(out);
            return;
        }
        boolean reauth = session.state == Session.State.VALID && session.keys != null;
        session.user = step.result().user();
        if (!reauth) {
            session.keys = SessionKeys.derive(conn.dialect, conn.cipher, step.result().sessionKey(),
                session.preauthHash);
            session.signingAlgorithm = conn.signingAlgorithm;
            session.dialect = conn.dialect;
            session.cipher = conn.cipher;
            session.signingRequired = req.server().config.signingRequired()
                || (r.securityMode() & Negotiate.SECURITY_SIGNING_REQUIRED) != 0;
            // The first channel signs with the session's own key ([MS-SMB2] 3.3.5.5.3)
            SessionChannel first = session.channels.computeIfAbsent(conn.id, k -> new SessionChannel(conn));
            first.signingAlgorithm = conn.signingAlgorithm;
            first.signingKey = session.keys.signingKey();
        } // [MS-SMB2] 3.3.5.5.3: re-authentication keeps the session's keys; only the identity is renewed
        if (!reauth && r.previousSessionId() != 0 && r.previousSessionId() != session.id) {
            expirePrevious(conn, r.previousSessionId(), session.user);
        }
        session.state = Session.State.VALID;
        req.session = session;
        req.signWithNewSession = true;
        LOG.debug("session {} for {} established ({})", Long.toHexString(session.id), session.user, conn.dialect);
        new SessionSetup.Response(0, step.token()).encode(out);
    }

    private static SpnegoAcceptor newAcceptor(Request req) {
        return new SpnegoAcceptor(new NtlmServer(req.server().users, req.server().config.serverName(),
            req.server().random));
    }

    /**
     * Ends a session on all its channels (LOGOFF, failed re-authentication, a newer session of
     * the same client): its opens close, its trees go, and it leaves the server's session table;
     * the record stays on its connections, EXPIRED, so late requests get a signed USER_SESSION_DELETED.
     */
    static void end(SmbConnection conn, Session session) {
        session.state = Session.State.EXPIRED;
        conn.server.sessions.remove(session.id, session);
        Handlers.closeOpens(conn, session, null);
        session.trees.clear();
    }

    /**
     * [MS-SMB2] 3.3.5.5.3: a client that reconnects names its previous session; the server logs
     * that session off (same user only), on whichever connection holds it, so its old handles are
     * answered USER_SESSION_DELETED. Runs on the owning connection's serial executor.
     */
    private static void expirePrevious(SmbConnection current, long previousId, String user) {
        Session old = current.server.sessions.get(previousId);
        if (old == null || old.state != Session.State.VALID || !java.util.Objects.equals(old.user, user)) {
            return;
        }
        if (old.channels.containsKey(current.id)) {
            end(current, old);
            return;
        }
        SessionChannel any = old.channels.values().stream().findFirst().orElse(null);
        old.state = Session.State.EXPIRED; // refuse its requests at once; the opens close in order
        if (any == null) {
            end(current, old);
        } else {
            any.connection.serial.execute(() -> end(any.connection, old));
        }
    }

    /**
     * Binds this connection to an existing session as a new channel ([MS-SMB2] 3.3.5.5.2): the
     * request is validated in the order Windows and Samba use, then a fresh authentication of
     * the session's user runs on this connection; its session key gives the channel's signing
     * key ([MS-SMB2] 3.3.5.5.3). Until then the exchange is signed with Session.SigningKey.
     */
    private static void bind(Request req, SessionSetup.Request r, ByteBuf out) {
        SmbConnection conn = req.connection;
        Session target = validateBinding(req);
        SessionChannel channel = target.channel(conn);
        if (channel == null || channel.bindingAcceptor == null) {
            channel = new SessionChannel(conn);
            channel.bindingAcceptor = newAcceptor(req);
            channel.bindingPreauthHash = conn.preauthHash;
            target.channels.put(conn.id, channel);
        }
        SessionChannel binding = channel;
        req.responseSessionId = target.id;
        boolean v311 = conn.dialect == Dialect.SMB_3_1_1;
        if (v311) {
            binding.bindingPreauthHash = NegotiateHandler.sha512(binding.bindingPreauthHash,
                req.message.duplicate().readerIndex(0));
        }
        SpnegoAcceptor.Step step;
        try {
            step = binding.bindingAcceptor.accept(r.token());
        } catch (AuthException e) {
            LOG.info("binding logon failure from {}: {}", conn.channel.remoteAddress(), e.getMessage());
            target.channels.remove(conn.id, binding); // the session itself is unharmed
            throw new NtStatusException(e instanceof org.bladeshare.smb.auth.MalformedTokenException
                ? NtStatus.INVALID_PARAMETER : NtStatus.LOGON_FAILURE, e.getMessage());
        }
        if (!step.done()) {
            req.status = NtStatus.MORE_PROCESSING_REQUIRED;
            new SessionSetup.Response(0, step.token()).encode(out);
            if (v311) {
                req.afterEncode = response -> binding.bindingPreauthHash = NegotiateHandler.sha512(
                    binding.bindingPreauthHash, response.duplicate().readerIndex(0));
            }
            return;
        }
        binding.bindingAcceptor = null;
        var result = step.result();
        if (result.anonymous() || !result.user().equalsIgnoreCase(target.user)) {
            // [MS-SMB2] 3.3.5.5.3: only the session's own user may add a channel to it
            target.channels.remove(conn.id, binding);
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "binding as another user");
        }
        if (target.state != Session.State.VALID) {
            target.channels.remove(conn.id, binding);
            throw new NtStatusException(NtStatus.USER_SESSION_DELETED, "session ended while binding");
        }
        binding.signingAlgorithm = conn.signingAlgorithm;
        binding.signingKey = SessionKeys.derive(conn.dialect, conn.cipher, result.sessionKey(),
            binding.bindingPreauthHash).signingKey();
        binding.bindingPreauthHash = null;
        conn.sessions.put(target.id, target);
        req.signWithNewSession = true; // the final response is signed with the new channel's key
        LOG.debug("connection {} bound to session {} of {}", conn.id, Long.toHexString(target.id), target.user);
        new SessionSetup.Response(0, step.token()).encode(out);
    }

    /**
     * The checks of [MS-SMB2] 3.3.5.5.2, in the order Windows and Samba apply them; returns the
     * session to bind to. The refusals are signed with the session's key once the request's
     * signature is known to be good, as the client checks them with it.
     */
    private static Session validateBinding(Request req) {
        SmbConnection conn = req.connection;
        long id = req.header.sessionId();
        if (id == 0) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "binding without a session id");
        }
        Session target = findValid(conn, id);
        if (target == null) {
            throw new NtStatusException(NtStatus.USER_SESSION_DELETED, "binding to an unknown session");
        }
        boolean signed = req.header.isSigned() && target.canSign();
        if (signed && req.session != target && !org.bladeshare.smb.transport.Smb2Signing.verify(
            target.signingAlgorithm(conn), target.signingKey(conn), req.message.duplicate().readerIndex(0))) {
            // (a request on an already bound channel was checked with the channel's key by the dispatcher)
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "bad signature on a binding request");
        }
        if (signed) {
            req.session = target; // the refusal is signed with the session's key, as the client checks it
        }
        var gmac = org.bladeshare.smb.transport.SigningAlgorithm.AES_GMAC;
        if (target.signingAlgorithm == gmac && conn.signingAlgorithm != gmac) {
            throw new NtStatusException(NtStatus.REQUEST_OUT_OF_SEQUENCE, "binding changes the signing algorithm");
        }
        if (conn.signingAlgorithm == gmac && target.signingAlgorithm != gmac) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED, "binding changes the signing algorithm");
        }
        if (!conn.dialect.isSmb3()) {
            throw new NtStatusException(NtStatus.REQUEST_NOT_ACCEPTED, "binding needs SMB 3");
        }
        if (!signed) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "unsigned binding request");
        }
        if (target.dialect != conn.dialect || target.cipher != conn.cipher) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "binding across dialects or ciphers");
        }
        SessionChannel existing = target.channel(conn);
        if (existing != null && existing.established()) {
            throw new NtStatusException(NtStatus.REQUEST_NOT_ACCEPTED, "connection already bound to the session");
        }
        if (target.anonymous) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED, "anonymous sessions cannot be bound");
        }
        return target;
    }

    /** An authenticated session with keys, from the server's session table. */
    private static Session findValid(SmbConnection conn, long id) {
        Session s = conn.server.sessions.get(id);
        return s != null && s.state == Session.State.VALID && s.canSign() ? s : null;
    }
}
