package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.bladeshare.smb.smb2.Dialect;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.transport.CipherId;
import org.bladeshare.smb.transport.CreditWindow;
import org.bladeshare.smb.transport.SigningAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client TCP connection ([MS-SMB2] 3.3.1.7). Frames arrive on the Netty event loop and are
 * handed to virtual threads that run the dispatcher, in order, except that lone WRITEs to files
 * may overlap one another ({@link RequestScheduler}).
 *
 * <p>A small request ({@link #isSmall}) on a connection that has its event loop to itself is
 * served on the event loop when nothing else of the connection is pending: a CREATE, WRITE and
 * CLOSE of a small file then cost no thread handoffs (two futex wake-ups and two sleeps per
 * request, a third of the server's CPU in smbclient's mput of 2,000 files). Such a request may
 * block, on the file system or on a clustered record during recovery, but it then holds up only
 * its own connection, which waits for it in either case; a loop shared with other connections
 * hands everything off, so no client waits for another's request.
 */
public final class SmbConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SmbConnection.class);

    final ServerContext server;
    final Smb2Dispatcher dispatcher;
    final RequestScheduler serial;
    final CreditWindow credits = new CreditWindow();
    /** Connection.SessionTable: the sessions this connection is a channel of (or is authenticating). */
    final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    /** The opens reachable on this connection: those of its sessions (an open belongs to its session). */
    final Map<Long, Open> opens = new SessionOpens();
    private final AtomicLong nextAsyncId = new AtomicLong(1);
    /** WRITEs of one connection that may be served at once. */
    static final int MAX_OVERLAPPING_WRITES = 4;
    private static final long PAUSE_READING_AT = 48L << 20;
    private static final long RESUME_READING_AT = 16L << 20;
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Requests and responses up to this size may be served on the event loop. */
    static final int SMALL_REQUEST = 64 * 1024;
    /** The most commands in a compound chain that {@link #isSmall} looks at. */
    private static final int SMALL_CHAIN = 8;
    /** What this connection's event loop carries: its connections (this one included), its request in progress. */
    private LoopLoad loop;
    final Map<Long, AsyncOp> asyncOps = new ConcurrentHashMap<>();
    volatile Channel channel;
    private volatile boolean closed;
    /** Done once the connection is gone and {@link #cleanup} has run (see {@link ServerContext#awaitCleanupOf}). */
    final java.util.concurrent.CompletableFuture<Void> cleanedUp = new java.util.concurrent.CompletableFuture<>();

    // Negotiated state ([MS-SMB2] 3.3.1.7)
    volatile Dialect dialect;
    boolean sawSmb1Negotiate;
    UUID clientGuid;
    int clientCapabilities;
    int clientSecurityMode;
    List<Integer> clientDialects;
    int serverCapabilities;
    int serverSecurityMode;
    byte[] preauthHash;
    CipherId cipher;
    SigningAlgorithm signingAlgorithm;

    final long id;

    SmbConnection(ServerContext server, Smb2Dispatcher dispatcher) {
        this.server = server;
        this.id = server.newConnectionId();
        this.dispatcher = dispatcher;
        this.serial = new RequestScheduler(server.workers, MAX_OVERLAPPING_WRITES);
    }

    public Dialect dialect() {
        return dialect;
    }

    long newAsyncId() {
        return nextAsyncId.getAndIncrement();
    }

    long newVolatileId() {
        return server.newVolatileId();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        server.connections.put(id, this);
        loop = server.loadOf(ctx.channel().eventLoop());
        loop.connections.incrementAndGet();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        int size = frame.readableBytes();
        // Back-pressure: stop reading the socket while too much is queued for this connection.
        if (queuedBytes.addAndGet(size) > PAUSE_READING_AT) {
            ctx.channel().config().setAutoRead(false);
        }
        Runnable work = () -> {
            try {
                if (!closed) {
                    dispatcher.process(this, frame);
                }
            } catch (RuntimeException e) {
                LOG.warn("closing connection from {} after an internal error", channel.remoteAddress(), e);
                channel.close();
            } finally {
                frame.release();
                if (queuedBytes.addAndGet(-size) < RESUME_READING_AT && !channel.config().isAutoRead()) {
                    channel.config().setAutoRead(true);
                }
            }
        };
        boolean fileWrite = isFileWrite(frame);
        if (loop != null && loop.connections.get() == 1 && isSmall(frame)) {
            serial.executeHereIfIdle(() -> runMarkingTheLoop(ctx, work), fileWrite);
        } else if (fileWrite) {
            serial.executeOverlapping(work);
        } else {
            serial.execute(work);
        }
    }

    /** Runs {@code work}; while it runs on the event loop itself, new clients are given another loop. */
    private void runMarkingTheLoop(ChannelHandlerContext ctx, Runnable work) {
        if (!ctx.executor().inEventLoop()) {
            work.run(); // it was queued behind this connection's other requests and runs on a worker
            return;
        }
        loop.requestStarted(System.nanoTime());
        try {
            work.run();
        } finally {
            loop.requestEnded();
        }
    }

    /**
     * Whether a frame is a lone, plain WRITE to an open regular file: the requests that may overlap
     * one another ({@link RequestScheduler}). Compound chains, encrypted frames and WRITEs to named
     * pipes (one half of an RPC exchange) keep the strict order. READs keep it too: overlapped, they
     * were measured 20-40 % slower (smbclient get of 1 GiB, 16 READs in flight, two cores): they
     * compete with the event loop that sends their data, and the client reorders what comes back.
     */
    boolean isFileWrite(ByteBuf frame) {
        int at = frame.readerIndex();
        if (frame.readableBytes() < Smb2Header.SIZE + 32 || frame.getInt(at) != Smb2Header.PROTOCOL_ID
            || frame.getIntLE(at + 20) != 0) {
            return false;
        }
        if (frame.getUnsignedShortLE(at + 12) != Smb2Command.WRITE) {
            return false;
        }
        // WRITE carries its FileId 16 bytes into the body ([MS-SMB2] 2.2.21)
        Open open = opens.get(frame.getLongLE(at + Smb2Header.SIZE + 24));
        return open != null && open.pipe == null && !open.directory;
    }

    /**
     * Whether a frame is a plain SMB2 request, or compound chain, of commands that do small,
     * bounded work: CREATE, CLOSE, QUERY_INFO, SET_INFO, QUERY_DIRECTORY, ECHO, and READs and
     * WRITEs of at most {@link #SMALL_REQUEST} bytes. Session setup, IOCTL (a server-side copy can
     * move gigabytes), FLUSH, LOCK, CHANGE_NOTIFY, CANCEL and encrypted frames are not.
     */
    static boolean isSmall(ByteBuf frame) {
        int at = frame.readerIndex();
        int end = frame.writerIndex();
        if (end - at > SMALL_REQUEST + 1024) {
            return false;
        }
        for (int n = 0; n < SMALL_CHAIN; n++) {
            if (end - at < Smb2Header.SIZE + 8 || frame.getInt(at) != Smb2Header.PROTOCOL_ID) {
                return false;
            }
            boolean small = switch (frame.getUnsignedShortLE(at + 12)) {
                case Smb2Command.CREATE, Smb2Command.CLOSE, Smb2Command.QUERY_INFO, Smb2Command.SET_INFO,
                     Smb2Command.QUERY_DIRECTORY, Smb2Command.ECHO, Smb2Command.WRITE -> true;
                // READ's Length is 4 bytes into its body ([MS-SMB2] 2.2.19)
                case Smb2Command.READ -> frame.getUnsignedIntLE(at + Smb2Header.SIZE + 4) <= SMALL_REQUEST;
                default -> false;
            };
            long next = frame.getUnsignedIntLE(at + 20); // NextCommand
            if (!small) {
                return false;
            }
            if (next == 0) {
                return true;
            }
            if (next < Smb2Header.SIZE || next > end - at) {
                return false; // malformed: the dispatcher answers it, off the event loop
            }
            at += (int) next;
        }
        return false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (loop != null) {
            loop.connections.decrementAndGet();
        }
        closed = true;
        server.closing.put(id, cleanedUp); // before it leaves the table of live connections
        server.connections.remove(id);
        serial.execute(() -> {
            try {
                cleanup();
            } finally {
                server.closing.remove(id);
                cleanedUp.complete(null);
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.warn("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    /**
     * The connection is gone: it leaves every session's channel list; a session left without
     * channels ends ([MS-SMB2] 3.3.7.1), closing its opens (deleting delete-on-close files) except
     * durable ones, which outlive it. A session still bound to another connection keeps its opens.
     */
    private void cleanup() {
        for (AsyncOp op : List.copyOf(asyncOps.values())) {
            op.cancel();
        }
        for (Session session : List.copyOf(sessions.values())) {
            session.channels.remove(id);
            // (a binding still in progress on another connection does not keep the session alive)
            boolean bound = session.channels.values().stream().anyMatch(SessionChannel::established);
            // Whoever takes the session out of the server's table closes its opens, once: two
            // channels lost together, or a LOGOFF or newer session that ended it first.
            if (bound) {
                server.oplocks.channelLost(this, session); // a break sent here may be unread: again elsewhere
                continue;
            }
            if (!server.sessions.remove(session.id, session)) {
                continue;
            }
            session.state = Session.State.EXPIRED; // a binding still in progress elsewhere fails
            for (Open open : List.copyOf(session.opens.values())) {
                if (!server.oplocks.durable.preserveOnDisconnect(this, open)) { // issue 4: durable opens outlive the connection
                    Handlers.closeOpen(this, open);
                }
            }
        }
        sessions.clear();
    }

    /**
     * A live view of the opens of this connection's sessions, keyed by FileId.Volatile: a put
     * files the open under its own session, a lookup searches the connection's sessions.
     */
    private final class SessionOpens extends java.util.AbstractMap<Long, Open> {
        @Override
        public Open get(Object key) {
            for (Session s : sessions.values()) {
                Open o = s.opens.get(key);
                if (o != null) {
                    return o;
                }
            }
            return null;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Open put(Long key, Open open) {
            return open.session.opens.put(key, open);
        }

        @Override
        public Open remove(Object key) {
            for (Session s : sessions.values()) {
                Open o = s.opens.remove(key);
                if (o != null) {
                    return o;
                }
            }
            return null;
        }

        @Override
        public java.util.Set<Map.Entry<Long, Open>> entrySet() {
            java.util.Set<Map.Entry<Long, Open>> all = new java.util.LinkedHashSet<>();
            for (Session s : sessions.values()) {
                all.addAll(s.opens.entrySet());
            }
            return java.util.Collections.unmodifiableSet(all);
        }
    }

    /**
     * Whether the client has closed or reset its end of the socket, which the event loop may not
     * have seen yet (it can be inside a request of this connection): the kernel's TCP state has
     * left ESTABLISHED once the client's FIN or RST arrived. Only epoll sockets can tell; others
     * answer false until the loop has seen the close.
     */
    boolean peerHasClosed() {
        Channel ch = channel;
        if (ch == null || !ch.isOpen()) {
            return true;
        }
        if (ch instanceof io.netty.channel.epoll.EpollSocketChannel epoll) {
            try {
                return epoll.tcpInfo().state() != TCP_ESTABLISHED;
            } catch (io.netty.channel.ChannelException e) {
                return !ch.isOpen(); // the socket was closed under us
            }
        }
        return false;
    }

    /** TCP_ESTABLISHED in Linux's tcp_states.h. */
    private static final int TCP_ESTABLISHED = 1;

    void disconnect(String why) {
        LOG.info("disconnecting {}: {}", channel.remoteAddress(), why);
        closed = true;
        channel.close();
    }
}
