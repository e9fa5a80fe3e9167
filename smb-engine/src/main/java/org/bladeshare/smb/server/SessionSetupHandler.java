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
 * derives the session's keys when authentication completes.
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
            refuseBinding(req);
        }
        Session session;
        boolean fresh = false;
        if (req.header.sessionId() == 0) {
            session = new Session(req.server().newSessionId());
            session.preauthHash = conn.preauthHash;
            conn.sessions.put(session.id, session);
            fresh = true;
        } else {
            session = conn.sessions.get(req.header.sessionId());
            if (session == null) {
                // A session of another connection, without the binding flag ([MS-SMB2] 3.3.5.5):
                // refused, and signed with that session's key, as Samba and Windows answer.
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
            session.acceptor = new SpnegoAcceptor(new NtlmServer(req.server().users,
                req.server().config.serverName(), req.server().random));
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
                // A failed re-authentication ends the session ([MS-SMB2] 3.3.5.5.3): its opens close
                // and later requests get USER_SESSION_DELETED, signed like after a LOGOFF (the record
                // stays, EXPIRED, until the connection closes).
                Handlers.closeOpens(conn, session, null);
                session.trees.clear();
                session.state = Session.State.EXPIRED;
            } else {
                conn.sessions.remove(session.id);
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

    /**
     * [MS-SMB2] 3.3.5.5.3: a client that reconnects names its previous session; the server logs
     * that session off (same user only), on whichever connection holds it, so its old handles are
     * answered USER_SESSION_DELETED. Runs on the owning connection's serial executor.
     */
    private static void expirePrevious(SmbConnection current, long previousId, String user) {
        for (SmbConnection other : current.server.connections.values()) {
            Session old = other.sessions.get(previousId);
            if (old == null || old.state != Session.State.VALID || !java.util.Objects.equals(old.user, user)) {
                continue;
            }
            Runnable expire = () -> {
                Handlers.closeOpens(other, old, null);
                old.trees.clear();
                old.state = Session.State.EXPIRED;
            };
            if (other == current) {
                expire.run();
            } else {
                old.state = Session.State.EXPIRED; // refuse its requests at once; the opens close in order
                other.serial.execute(expire);
            }
        }
    }

    /**
     * A request to bind this connection to a session of another connection ([MS-SMB2] 3.3.5.5.2).
     * Multichannel is not offered, but the request is validated first, in the order Windows and
     * Samba use, so a client learns what was wrong; the refusal is signed with the session's key.
     */
    private static void refuseBinding(Request req) {
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
        if (signed && !org.bladeshare.smb.transport.Smb2Signing.verify(target.signingAlgorithm,
            target.keys.signingKey(), req.message.duplicate().readerIndex(0))) {
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
        throw new NtStatusException(NtStatus.REQUEST_NOT_ACCEPTED, "multichannel binding is not supported");
    }

    /** An authenticated session with keys, held by any connection of this server. */
    private static Session findValid(SmbConnection conn, long id) {
        for (SmbConnection other : conn.server.connections.values()) {
            Session s = other.sessions.get(id);
            if (s != null && s.state == Session.State.VALID && s.canSign()) {
                return s;
            }
        }
        return null;
    }
}
