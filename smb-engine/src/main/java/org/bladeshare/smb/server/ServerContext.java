package org.bladeshare.smb.server;

import io.netty.util.concurrent.EventExecutor;
import org.bladeshare.smb.SmbServerConfig;
import org.bladeshare.smb.auth.UserDirectory;
import org.bladeshare.smb.dtyp.FileTime;
import org.bladeshare.smb.vfs.PosixVfs;
import org.bladeshare.smb.vfs.Vfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** Everything connections share: configuration, ports, the virtual-thread executor. */
public final class ServerContext implements AutoCloseable {
    public static final int MAX_IO_SIZE = 8 * 1024 * 1024;

    final SmbServerConfig config;
    final UserDirectory users;
    final ShareRegistry shares;
    final SecureRandom random = new SecureRandom();
    final long startTime = FileTime.now();
    final ExecutorService workers = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("smb-worker-", 0).factory());
    private final AtomicLong nextSessionId;
    private final Map<Path, Vfs> vfsByRoot = new ConcurrentHashMap<>();
    private DirectoryWatcher watcher;
    /** This node's CHANGE_NOTIFY watches, told about what the engine itself does. */
    final ChangeNotifier notifier = new ChangeNotifier();

    final StatePorts state;
    /** Oplock and lease breaks (issue 4). */
    final OplockCoordinator oplocks;
    final Map<Long, SmbConnection> connections = new ConcurrentHashMap<>();
    /** Connections whose socket has closed and whose cleanup has not finished (see {@link #awaitCleanupOf}). */
    final Map<Long, java.util.concurrent.CompletableFuture<Void>> closing = new ConcurrentHashMap<>();
    /** What each event loop carries ({@link SmbConnection#isSmall}'s requests run on a loop of one connection). */
    private final Map<EventExecutor, LoopLoad> loopLoads = new ConcurrentHashMap<>();
    /** GlobalSessionTable ([MS-SMB2] 3.3.1.5): every live session, whichever connections it is bound to. */
    final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    /** FileId.Volatile is unique on the server, so an open is found from any channel of its session. */
    private final AtomicLong nextVolatileId = new AtomicLong(1);
    private final AtomicLong nextConnectionId = new AtomicLong(1);
    private final AtomicLong nextPersistentId = new AtomicLong(1);
    /** A user and share that exist in memory only, while the data-path warm-up runs. */
    private volatile Ephemeral ephemeral;
    /** Ephemeral users withdrawn: a session of theirs that outlives the withdrawal reaches no share. */
    private final java.util.Set<String> withdrawnEphemeral = ConcurrentHashMap.newKeySet();

    private record Ephemeral(String user, byte[] ntHash, ShareConfig share) {
    }

    /**
     * Waits (at most {@code limit}) until the cleanup of connection {@code id}, whose socket has
     * closed, has run: a client that reconnects at once must find its durable handles preserved,
     * not still attached to the connection it lost. Returns at once for an unknown id or a
     * connection whose client is still there.
     */
    void awaitCleanupOf(long id, java.time.Duration limit) {
        var done = closing.get(id);
        if (done == null) {
            SmbConnection live = connections.get(id);
            if (live != null) {
                // Its event loop may not have seen the close yet (it can be inside a request of that
                // connection): when the kernel says the client has gone, close it now and wait.
                if (!live.peerHasClosed()) {
                    return;
                }
                live.channel.close();
                done = live.cleanedUp;
            } else {
                done = closing.get(id); // it may have moved there in between
            }
        }
        if (done == null) {
            return;
        }
        try {
            done.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // the reconnect is judged on what is there now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What {@code loop} carries. */
    LoopLoad loadOf(EventExecutor loop) {
        return loopLoads.computeIfAbsent(loop, l -> new LoopLoad());
    }

    /** How the server's event loops are chosen for new connections: the least busy one. */
    public io.netty.util.concurrent.EventExecutorChooserFactory loopChooser() {
        return new LeastBusyLoopChooser(this::loadOf);
    }

    /**
     * The share a TREE_CONNECT by {@code session} names: a configured one, except that the
     * ephemeral user reaches its ephemeral share and nothing else, and nobody else reaches that.
     */
    Optional<ShareConfig> findShare(String name, Session session) {
        Ephemeral e = ephemeral;
        if (e != null && e.user().equalsIgnoreCase(session.user())) {
            return e.share().name().equalsIgnoreCase(name) ? Optional.of(e.share()) : Optional.empty();
        }
        if (session.user() != null && withdrawnEphemeral.contains(session.user().toLowerCase(java.util.Locale.ROOT))) {
            return Optional.empty();
        }
        return shares.find(name);
    }

    /**
     * Lets one more user (known by the NT hash of a password only its caller has) log on and
     * reach one more share and only that share, never listed, never stored and unreachable to
     * anyone else ({@link #findShare}), until the returned handle is closed.
     * The data-path warm-up logs on this way over loopback; one at a time.
     */
    public AutoCloseable admitEphemeral(String user, byte[] ntHash, ShareConfig share) {
        synchronized (this) {
            if (ephemeral != null) {
                throw new IllegalStateException("an ephemeral user is already admitted");
            }
            ephemeral = new Ephemeral(user, ntHash.clone(), share);
        }
        return () -> {
            withdrawnEphemeral.add(user.toLowerCase(java.util.Locale.ROOT));
            ephemeral = null; // its sessions end with the caller's LOGOFF
        };
    }

    public ServerContext(SmbServerConfig config, UserDirectory users, ShareRegistry shares) {
        this(config, users, shares, StatePorts.inMemory());
    }

    public ServerContext(SmbServerConfig config, UserDirectory users, ShareRegistry shares, StatePorts state) {
        this.config = config;
        this.users = name -> {
            Ephemeral e = ephemeral;
            return e != null && e.user().equalsIgnoreCase(name) ? Optional.of(e.ntHash().clone()) : users.ntHash(name);
        };
        this.shares = shares;
        this.state = state;
        this.oplocks = new OplockCoordinator(this);
        // Session ids are unique on this server and hard to guess ([MS-SMB2] 3.3.5.5.1).
        this.nextSessionId = new AtomicLong((random.nextLong() & 0x0000_7FFF_FFFF_0000L) | 1);
    }

    long newConnectionId() {
        return nextConnectionId.getAndIncrement();
    }

    /** FileId.Persistent: unique in the cluster (the node id in the top 16 bits). */
    long newPersistentId() {
        return ((long) state.node() << 48) | nextPersistentId.getAndIncrement();
    }

    long newVolatileId() {
        return nextVolatileId.getAndIncrement();
    }

    long newSessionId() {
        return nextSessionId.getAndIncrement();
    }

    Vfs vfsFor(ShareConfig share) {
        return vfsByRoot.computeIfAbsent(share.path().toAbsolutePath().normalize(), p -> {
            try {
                return new NotifyingVfs(new PosixVfs(p), notifier); // CHANGE_NOTIFY hears the engine's changes
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The shared change watcher, started on first use. */
    synchronized DirectoryWatcher watcher() throws IOException {
        if (watcher == null) {
            watcher = new DirectoryWatcher();
        }
        return watcher;
    }

    public SmbServerConfig config() {
        return config;
    }

    @Override
    public void close() {
        oplocks.close();
        synchronized (this) {
            if (watcher != null) {
                watcher.close();
            }
        }
        // Let queued work finish (each closed connection's cleanup closes its files), then stop.
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
