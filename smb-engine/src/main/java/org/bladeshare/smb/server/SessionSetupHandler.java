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
            throw new NtStatusException(NtStatus.REQUEST_NOT_ACCEPTED, "multichannel binding is not supported");
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
            if (session == null || session.state == Session.State.EXPIRED) {
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
            if (fresh || session.state != Session.State.VALID) {
                conn.sessions.remove(session.id);
            }
            throw new NtStatusException(NtStatus.LOGON_FAILURE, e.getMessage());
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
        session.user = step.result().user();
        session.keys = SessionKeys.derive(conn.dialect, conn.cipher, step.result().sessionKey(), session.preauthHash);
        session.signingAlgorithm = conn.signingAlgorithm;
        session.signingRequired = req.server().config.signingRequired()
            || (r.securityMode() & Negotiate.SECURITY_SIGNING_REQUIRED) != 0;
        session.state = Session.State.VALID;
        req.session = session;
        req.signWithNewSession = true;
        LOG.debug("session {} for {} established ({})", Long.toHexString(session.id), session.user, conn.dialect);
        new SessionSetup.Response(0, step.token()).encode(out);
    }
}
