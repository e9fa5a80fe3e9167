package org.bladeshare.smb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/** Prepends the 4-byte Direct-TCP header to every outgoing message ([MS-SMB2] 2.1). */
@ChannelHandler.Sharable
public final class NbssFrameEncoder extends MessageToMessageEncoder<ByteBuf> {
    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        int len = msg.readableBytes();
        ByteBuf header = ctx.alloc().buffer(4);
        header.writeInt(len & 0x00FFFFFF);
        out.add(header);
        out.add(msg.retain());
    }
}
