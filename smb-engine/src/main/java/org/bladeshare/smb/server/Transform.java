package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.transport.TransformCodec;

import java.nio.ByteBuffer;

/** Connects the transform codec to sessions: which keys, which nonces ([MS-SMB2] 3.3.4.1.4, 3.3.5.2.1.1). */
final class Transform {
    static final int PROTOCOL_ID = TransformCodec.PROTOCOL_ID;

    private Transform() {
    }

    static Session sessionOf(SmbConnection conn, ByteBuf frame) {
        if (conn.cipher == null) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "no cipher negotiated");
        }
        Session s = conn.sessions.get(TransformCodec.sessionId(frame));
        if (s == null || s.state != Session.State.VALID || s.keys.decryptionKey() == null) {
            throw new NtStatusException(NtStatus.USER_SESSION_DELETED, "no session for transform");
        }
        return s;
    }

    static ByteBuf decrypt(SmbConnection conn, Session session, ByteBuf frame) {
        return TransformCodec.decrypt(conn.channel.alloc(), conn.cipher, session.keys.decryptionKey(), frame);
    }

    /** Nonces: a per-session counter with a random prefix, never reused under one key. */
    static ByteBuf encrypt(SmbConnection conn, Session session, ByteBuf plain) {
        long n = session.nonceCounter.incrementAndGet();
        byte[] nonce = ByteBuffer.allocate(16).putLong(n).putInt(session.noncePrefix).array();
        return TransformCodec.encrypt(conn.channel.alloc(), conn.cipher, session.keys.encryptionKey(), session.id,
            nonce, plain);
    }
}
