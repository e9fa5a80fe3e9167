package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every wire message survives encode, decode, encode unchanged, and its fields read back. */
class MessageRoundTripTest {

    /** Encodes a body after a zeroed 64-byte header, decodes it, re-encodes, and checks the bytes. */
    private static <T> T roundTrip(Consumer<ByteBuf> encoder, Function<ByteBuf, T> decoder,
                                   java.util.function.BiConsumer<T, ByteBuf> reencoder) {
        ByteBuf first = Unpooled.buffer();
        first.writeZero(Smb2Header.SIZE);
        encoder.accept(first);
        T decoded = decoder.apply(first.duplicate().readerIndex(Smb2Header.SIZE));
        ByteBuf second = Unpooled.buffer();
        second.writeZero(Smb2Header.SIZE);
        reencoder.accept(decoded, second);
        assertArrayEquals(ByteBufUtil.getBytes(first), ByteBufUtil.getBytes(second));
        return decoded;
    }

    @Test
    void header() {
        var h = new Smb2Header(3, 0xC0000022, Smb2Command.WRITE, 10, Smb2Header.FLAG_SIGNED, 0, 77, 0, 5, 0x1234L,
            new byte[16]);
        ByteBuf b = Unpooled.buffer();
        h.encode(b);
        assertEquals(Smb2Header.SIZE, b.readableBytes());
        var d = Smb2Header.decode(b);
        assertEquals(h.creditCharge(), d.creditCharge());
        assertEquals(h.status(), d.status());
        assertEquals(h.command(), d.command());
        assertEquals(h.messageId(), d.messageId());
        assertEquals(h.treeId(), d.treeId());
        assertEquals(h.sessionId(), d.sessionId());
        assertEquals(h.flags(), d.flags());
    }

    @Test
    void negotiate() {
        var req = new Negotiate.Request(1, 0x7f, UUID.randomUUID(), List.of(0x202, 0x210, 0x300, 0x302, 0x311),
            List.of(new Negotiate.Context(1, new byte[]{1, 0, 2, 0, 1, 0, 9, 9}), new Negotiate.Context(2,
                new byte[]{1, 0, 2, 0})));
        var d = roundTrip(req::encode, Negotiate.Request::decode, Negotiate.Request::encode);
        assertEquals(req.dialects(), d.dialects());
        assertEquals(req.clientGuid(), d.clientGuid());
        var resp = new Negotiate.Response(3, 0x311, UUID.randomUUID(), 4, 8 << 20, 8 << 20, 8 << 20, 1, 2,
            new byte[]{0x60, 0}, List.of(new Negotiate.Context(8, new byte[]{1, 0, 1, 0})));
        var r = roundTrip(resp::encode, Negotiate.Response::decode, Negotiate.Response::encode);
        assertEquals(resp.serverGuid(), r.serverGuid());
        assertEquals(0x311, r.dialect());
    }

    @Test
    void sessionSetup() {
        var req = new SessionSetup.Request(0, 1, 0, 0, "token".getBytes(StandardCharsets.US_ASCII));
        var d = roundTrip(req::encode, SessionSetup.Request::decode, SessionSetup.Request::encode);
        assertArrayEquals(req.token(), d.token());
        var resp = new SessionSetup.Response(0, new byte[]{1, 2, 3});
        var r = roundTrip(resp::encode, SessionSetup.Response::decode, SessionSetup.Response::encode);
        assertArrayEquals(resp.token(), r.token());
    }

    @Test
    void treeConnect() {
        var req = new TreeConnect.Request(0, "\\\\127.0.0.1\\public");
        var d = roundTrip(req::encode, TreeConnect.Request::decode, TreeConnect.Request::encode);
        assertEquals(req, d);
        var resp = new TreeConnect.Response(1, 0x8000, 0, 0x1f01ff);
        assertEquals(resp, roundTrip(resp::encode, TreeConnect.Response::decode, TreeConnect.Response::encode));
    }

    @Test
    void create() {
        var req = new Create.Request(0, 0, 2, 0x80000000, 0x80, 7, Create.OPEN_IF, 0x40, "dir\\file.txt",
            List.of(new Create.Context("MxAc", new byte[0]), new Create.Context("QFid", new byte[0])));
        var d = roundTrip(req::encode, Create.Request::decode, Create.Request::encode);
        assertEquals("dir\\file.txt", d.name());
        assertEquals(List.of("MxAc", "QFid"), d.contexts().stream().map(Create.Context::name).toList());
        var resp = new Create.Response(0, 0, 2, 1, 2, 3, 4, 4096, 10, 0x20, new FileId(5, 6),
            List.of(new Create.Context("MxAc", new byte[8])));
        var r = roundTrip(resp::encode, Create.Response::decode, Create.Response::encode);
        assertEquals(new FileId(5, 6), r.fileId());
        assertEquals(10, r.endOfFile());
    }

    @Test
    void closeReadWriteFlush() {
        var close = new Close.Request(1, new FileId(1, 2));
        assertEquals(close, roundTrip(close::encode, Close.Request::decode, Close.Request::encode));
        var closed = new Close.Response(1, 1, 2, 3, 4, 5, 6, 7);
        assertEquals(closed, roundTrip(closed::encode, Close.Response::decode, Close.Response::encode));
        var read = new Read.Request(0, 65536, 4096, new FileId(3, 4), 0, 0);
        assertEquals(read, roundTrip(read::encode, Read.Request::decode, Read.Request::encode));
        var write = new Write.Request(10, new FileId(3, 4), 0, 0, Unpooled.wrappedBuffer(new byte[]{1, 2, 3}));
        var w = roundTrip(write::encode, Write.Request::decode, Write.Request::encode);
        assertEquals(3, w.data().readableBytes());
        var written = new Write.Response(3);
        assertEquals(written, roundTrip(written::encode, Write.Response::decode, Write.Response::encode));
        var flush = new Flush.Request(new FileId(9, 9));
        assertEquals(flush, roundTrip(flush::encode, Flush.Request::decode, Flush.Request::encode));
    }

    @Test
    void queries() {
        var qd = new QueryDirectory.Request(37, 1, 0, new FileId(1, 1), "*.txt", 65536);
        assertEquals(qd, roundTrip(qd::encode, QueryDirectory.Request::decode, QueryDirectory.Request::encode));
        var qi = new QueryInfo.Request(1, 18, 4096, new byte[0], 0, 0, new FileId(1, 1));
        var q = roundTrip(qi::encode, QueryInfo.Request::decode, QueryInfo.Request::encode);
        assertEquals(18, q.infoClass());
        var si = new SetInfo.Request(1, 20, new byte[8], 0, new FileId(2, 2));
        var s = roundTrip(si::encode, SetInfo.Request::decode, SetInfo.Request::encode);
        assertEquals(20, s.infoClass());
        var io = new Ioctl.Request(0x140204, FileId.RELATED, new byte[]{1, 2}, 0, 4096, 1);
        var i = roundTrip(io::encode, Ioctl.Request::decode, Ioctl.Request::encode);
        assertArrayEquals(new byte[]{1, 2}, i.input());
        var ior = new Ioctl.Response(0x140204, FileId.RELATED, new byte[]{3, 4, 5});
        var o = roundTrip(ior::encode, Ioctl.Response::decode, Ioctl.Response::encode);
        assertArrayEquals(new byte[]{3, 4, 5}, o.output());
    }
}
