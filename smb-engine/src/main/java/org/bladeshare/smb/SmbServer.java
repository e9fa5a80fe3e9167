package org.bladeshare.smb;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.bladeshare.smb.auth.UserDirectory;
import org.bladeshare.smb.server.ConnectionInitializer;
import org.bladeshare.smb.server.ServerContext;
import org.bladeshare.smb.server.ShareRegistry;
import org.bladeshare.smb.server.StatePorts;
import org.bladeshare.smb.warmup.DataPathWarmUp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The SMB2/3 server: a Netty listener whose connections are served on virtual threads. */
public final class SmbServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmbServer.class);

    private final SmbServerConfig config;
    private final ServerContext context;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ChannelGroup channels;
    private Channel listener;
    private volatile int boundPort = -1;

    public SmbServer(SmbServerConfig config, UserDirectory users, ShareRegistry shares) {
        this(config, users, shares, StatePorts.inMemory());
    }

    /** A server whose share modes and byte-range locks live in the given (e.g. clustered) tables. */
    public SmbServer(SmbServerConfig config, UserDirectory users, ShareRegistry shares, StatePorts state) {
        this.config = config;
        this.context = new ServerContext(config, users, shares, state);
    }

    /** Binds the listening socket. Throws {@link BindException} when the address is in use. */
    public synchronized void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        // Linux's epoll where its native library loads (x86-64 Linux, the blades), else the JDK's selector
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        bossGroup = new MultiThreadIoEventLoopGroup(1, ioHandlers);
        workerGroup = new MultiThreadIoEventLoopGroup(2, (java.util.concurrent.Executor) null, context.loopChooser(),
            ioHandlers);
        channels = new DefaultChannelGroup("smb-connections", GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 256)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(new ConnectionInitializer(context, channels));
        ChannelFuture f = b.bind(new InetSocketAddress(config.bind(), config.port())).awaitUninterruptibly();
        if (!f.isSuccess()) {
            shutdownGroups();
            Throwable cause = f.cause();
            if (cause instanceof BindException be) {
                throw be;
            }
            if (cause instanceof Errors.NativeIoException ne && bindErrno(ne.expectedErr()) != null) {
                BindException be = new BindException(bindErrno(ne.expectedErr())); // as the JDK selector reports it
                be.initCause(ne);
                throw be;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot listen on " + config.bind().getHostAddress() + ":" + config.port() + ": "
                + cause, cause);
        }
        listener = f.channel();
        boundPort = ((InetSocketAddress) listener.localAddress()).getPort();
        LOG.info("SMB server {} listening on {}:{} ({})", config.serverName(), config.bind().getHostAddress(), boundPort,
            epoll ? "epoll" : "NIO selector: " + Epoll.unavailabilityCause());
    }

    /**
     * Runs the data path once over this server's own listening address ({@link DataPathWarmUp}),
     * so that the first clients after a start get compiled code.
     */
    public DataPathWarmUp.Result warmUp(DataPathWarmUp.Plan plan) throws IOException {
        InetSocketAddress address;
        synchronized (this) {
            if (listener == null) {
                throw new IllegalStateException("not started");
            }
            InetAddress bound = ((InetSocketAddress) listener.localAddress()).getAddress();
            address = new InetSocketAddress(bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound,
                boundPort);
        }
        return DataPathWarmUp.run(context, address, plan);
    }

    /** {@link #warmUp} on a background thread; the outcome is logged, and a failure harms nothing. */
    public Thread warmUpInBackground(DataPathWarmUp.Plan plan) {
        return Thread.ofPlatform().daemon().name("smb-warm-up").start(() -> {
            try {
                DataPathWarmUp.Result r = warmUp(plan);
                LOG.info("SMB data path warmed up in {} ms: {} requests, {} MiB written, {} MiB read", r.millis(),
                    r.requests(), r.bytesWritten() >> 20, r.bytesRead() >> 20);
            } catch (IOException | RuntimeException e) {
                LOG.warn("SMB data path warm-up failed (clients are served all the same): {}", e.toString());
            }
        });
    }

    /** Linux's errno values (negated, as epoll reports them) that the JDK reports as a BindException. */
    private static String bindErrno(int negativeErrno) {
        return switch (negativeErrno) {
            case -98 -> "Address already in use"; // EADDRINUSE
            case -99 -> "Cannot assign requested address"; // EADDRNOTAVAIL
            case -13 -> "Permission denied"; // EACCES: a port below 1024 without the capability
            default -> null;
        };
    }

    /** What the server's connections share (for the engine's own tools, such as the warm-up). */
    public ServerContext context() {
        return context;
    }

    /** The bound TCP port (useful when the configured port is 0). */
    public int port() {
        if (boundPort < 0) {
            throw new IllegalStateException("not started");
        }
        return boundPort;
    }

    /** Stops listening, closes every connection and frees the port. */
    @Override
    public synchronized void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            listener = null;
        }
        if (channels != null) {
            channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        shutdownGroups();
        context.close();
    }

    private void shutdownGroups() {
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            bossGroup = null;
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            workerGroup = null;
        }
    }
}
