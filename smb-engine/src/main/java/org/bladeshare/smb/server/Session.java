package org.bladeshare.smb.server;

import org.bladeshare.smb.auth.SessionKeys;
import org.bladeshare.smb.auth.SpnegoAcceptor;
import org.bladeshare.smb.transport.SigningAlgorithm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An authenticated (or authenticating) user on a connection ([MS-SMB2] 3.3.1.8). */
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

    boolean canSign() {
        // A logged-off (EXPIRED) session still signs the USER_SESSION_DELETED answers to its late requests.
        return keys != null && keys.signingKey() != null && state != State.IN_PROGRESS;
    }
}
