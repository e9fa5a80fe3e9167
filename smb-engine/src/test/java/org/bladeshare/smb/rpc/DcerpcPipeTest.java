package org.bladeshare.smb.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.dtyp.Guid;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BIND then NetShareEnumAll over the pipe, decoded back the way a client would. */
class DcerpcPipeTest {
    private static final UUID NDR64 = UUID.fromString("71710533-beba-4937-8319-b5dbef9ccc36");

    private static byte[] pdu(int ptype, int callId, ByteBuf body) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(5).writeByte(0).writeByte(ptype).writeByte(3).writeInt(0x10000000);
        b.writeShortLE(16 + body.readableBytes()).writeShortLE(0).writeIntLE(callId);
        b.writeBytes(body);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static byte[] bind() {
        ByteBuf body = Unpooled.buffer();
        body.writeShortLE(4280).writeShortLE(4280).writeIntLE(0);
        body.writeByte(2).writeZero(3);
        for (int ctx = 0; ctx < 2; ctx++) {
            body.writeShortLE(ctx).writeByte(1).writeByte(0);
            Guid.write(body, Srvsvc.UUID_SRVSVC);
            body.writeShortLE(3).writeShortLE(0);
            Guid.write(body, ctx == 0 ? DcerpcPipe.NDR : NDR64);
            body.writeIntLE(ctx == 0 ? 2 : 1);
        }
        return pdu(DcerpcPipe.PTYPE_BIND, 1, body);
    }

    @Test
    void bindAcceptsNdrAndRejectsNdr64() {
        DcerpcPipe pipe = new DcerpcPipe("srvsvc", new Srvsvc(() -> List.of()));
        pipe.write(bind());
        ByteBuf ack = Unpooled.wrappedBuffer(pipe.read(65536));
        assertEquals(DcerpcPipe.PTYPE_BIND_ACK, ack.getUnsignedByte(2));
        int portLen = ack.getUnsignedShortLE(24);
        int results = (26 + portLen + 3) & ~3;
        assertEquals(2, ack.getUnsignedByte(results));
        assertEquals(0, ack.getUnsignedShortLE(results + 4), "NDR accepted");
        assertEquals(2, ack.getUnsignedShortLE(results + 4 + 24), "NDR64 refused");
    }

    @Test
    void netShareEnumAllListsSharesAndIpc() {
        var entries = List.of(new Srvsvc.Entry("public", 0, "Public files"), new Srvsvc.Entry("IPC$", 0x80000003L,
            "IPC Service"));
        DcerpcPipe pipe = new DcerpcPipe("srvsvc", new Srvsvc(() -> entries));
        pipe.write(bind());
        pipe.read(65536);
        Ndr.Writer stub = new Ndr.Writer();
        stub.pointer().string("\\\\127.0.0.1").u32(1).u32(1).pointer().u32(0).nullPointer().u32(0xFFFFFFFFL)
            .nullPointer();
        ByteBuf body = Unpooled.buffer();
        byte[] s = stub.bytes();
        body.writeIntLE(s.length).writeShortLE(0).writeShortLE(15).writeBytes(s);
        // split the request into two writes to exercise reassembly of partial PDUs
        byte[] request = pdu(DcerpcPipe.PTYPE_REQUEST, 2, body);
        pipe.write(java.util.Arrays.copyOf(request, 10));
        pipe.write(java.util.Arrays.copyOfRange(request, 10, request.length));
        ByteBuf resp = Unpooled.wrappedBuffer(pipe.read(65536));
        assertEquals(DcerpcPipe.PTYPE_RESPONSE, resp.getUnsignedByte(2));
        Ndr.Reader r = new Ndr.Reader(java.util.Arrays.copyOfRange(resp.array(), 24, resp.readableBytes()));
        assertEquals(1, r.u32(), "level");
        assertEquals(1, r.u32(), "switch");
        assertTrue(r.u32() != 0, "container pointer");
        assertEquals(2, r.u32(), "entries read");
        assertTrue(r.u32() != 0);
        assertEquals(2, r.u32(), "array size");
        r.u32();
        assertEquals(0, r.u32(), "disk tree");
        r.u32();
        r.u32();
        assertEquals(0x80000003L, r.u32(), "IPC$ type");
        r.u32();
        assertEquals("public", r.string());
        assertEquals("Public files", r.string());
        assertEquals("IPC$", r.string());
        assertEquals("IPC Service", r.string());
        assertEquals(2, r.u32(), "total entries");
    }

    @Test
    void unknownOperationFaults() {
        DcerpcPipe pipe = new DcerpcPipe("srvsvc", new Srvsvc(() -> List.of()));
        pipe.write(bind());
        pipe.read(65536);
        ByteBuf body = Unpooled.buffer();
        body.writeIntLE(0).writeShortLE(0).writeShortLE(99);
        pipe.write(pdu(DcerpcPipe.PTYPE_REQUEST, 3, body));
        ByteBuf fault = Unpooled.wrappedBuffer(pipe.read(65536));
        assertEquals(DcerpcPipe.PTYPE_FAULT, fault.getUnsignedByte(2));
        assertEquals(RpcFault.NCA_S_OP_RNG_ERROR, fault.getIntLE(24));
    }
}
