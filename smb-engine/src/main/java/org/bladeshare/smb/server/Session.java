package org.bladeshare.smb.server;

import org.bladeshare.smb.auth.SessionKeys;
import org.bladeshare.smb.auth.SpnegoAcceptor;
import org.bladeshare.smb.transport.SigningAlgorithm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authenticated (or authenticating) user ([MS-SMB2] 3.3.1.8). A session lives in the
 * server's session table and is reachable on one or more connections, its channels
 * ([MS-SMB2] 3.3.5.5.2 multichannel binding); its opens belong to it, not to a connection.
 */
public final class Session {
    public enum State { IN_PROGRESS, VALID, EXPIRED }

    final long id;
    volatile State state = State.IN_PROGRESS;
    SpnegoAcceptor acceptor;
    byte[] preauthHash;
    volatile String user;
    volatile SessionKeys keys;
    volatile SigningAlgorithm signingAlgorithm;
    /** The dialect and cipher of the connection that authenticated the session (checked when binding). */
    volatile org.bladeshare.smb.smb2.Dialect dialect;
    volatile org.bladeshare.smb.transport.CipherId cipher;
    volatile boolean signingRequired;
    volatile boolean encryptData;
    /** A null session ([MS-SMB2] SESSION_FLAG_IS_NULL): no keys, IPC$ only. */
    volatile boolean anonymous;
    final Map<Integer, Tree> trees = new ConcurrentHashMap<>();
    /** Session.OpenTable by FileId.Volatile (server-unique, so every channel finds them). */
    final Map<Long, Open> opens = new ConcurrentHashMap<>();
    /** Session.ChannelList by connection id. */
    final Map<Long, SessionChannel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger nextTreeId = new AtomicInteger(1);
    final java.util.concurrent.atomic.AtomicLong nonceCounter = new java.util.concurrent.atomic.AtomicLong();
    final int noncePrefix = new java.security.SecureRandom().nextInt();

    /** What this session holds against the per-session limits (issue 4); created on first use. */
    private org.bladeshare.smb.state.SessionUsage usage;

    synchronized org.bladeshare.smb.state.SessionUsage usage(org.bladeshare.smb.state.SessionLimits limits) {
        if (usage == null) {
            usage = limits.newUsage();
        }
        return usage;
    }

    Session(long id) {
        this.id = id;
    }

    public long id() {
        return id;
    }

    public String user() {
        return user;
    }

    public State state() {
        return state;
    }

    public SessionKeys keys() {
        return keys;
    }

    int allocateTreeId() {
        return nextTreeId.getAndIncrement();
    }

    /** The channel of {@code conn}, established or being bound, or null. */
    SessionChannel channel(SmbConnection conn) {
        return channels.get(conn.id);
    }

    /**
     * The key that signs this session's messages on {@code conn} ([MS-SMB2] 3.3.4.1.1,
     * 3.3.5.2.4): the channel's key once the connection is bound, else Session.SigningKey
     * (the key a binding request itself is signed with).
     */
    byte[] signingKey(SmbConnection conn) {
        SessionChannel c = channels.get(conn.id);
        return c != null && c.established() ? c.signingKey : keys.signingKey();
    }

    SigningAlgorithm signingAlgorithm(SmbConnection conn) {
        SessionChannel c = channels.get(conn.id);
        return c != null && c.established() ? c.signingAlgorithm : signingAlgorithm;
    }

    boolean canSign() {
        // A logged-off (EXPIRED) session still signs the USER_SESSION_DELETED answers to its late requests.
        return keys != null && keys.signingKey() != null && state != State.IN_PROGRESS;
    }
}
