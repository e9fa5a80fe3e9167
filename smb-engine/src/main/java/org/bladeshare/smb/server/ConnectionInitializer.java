package org.bladeshare.smb.server;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import org.bladeshare.smb.transport.NbssFrameDecoder;
import org.bladeshare.smb.transport.NbssFrameEncoder;

/** Builds each connection's pipeline: framing in, framing out, then the connection itself. */
public final class ConnectionInitializer extends ChannelInitializer<SocketChannel> {
    private static final NbssFrameEncoder ENCODER = new NbssFrameEncoder();
    private final ServerContext server;
    private final Smb2Dispatcher dispatcher = new Smb2Dispatcher();
    private final ChannelGroup channels;

    public ConnectionInitializer(ServerContext server, ChannelGroup channels) {
        this.server = server;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        // Reads of up to 1 MiB (still pooled by the adaptive allocator): a 1 MiB WRITE in a few
        // socket reads rather than sixteen of 64 KiB.
        ch.config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(512, 64 * 1024, 1024 * 1024));
        ch.pipeline()
            .addLast("nbss-decoder", new NbssFrameDecoder())
            .addLast("nbss-encoder", ENCODER)
            .addLast("smb2", new SmbConnection(server, dispatcher));
    }
}
