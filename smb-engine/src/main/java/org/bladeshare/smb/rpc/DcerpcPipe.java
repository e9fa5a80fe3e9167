package org.bladeshare.smb.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.dtyp.Guid;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Connection-oriented DCE/RPC over a named pipe ([C706] 12, [MS-RPCE] 2.2.2): BIND/BIND_ACK,
 * REQUEST/RESPONSE with fragmentation, FAULT for unknown operations. No authentication
 * (the SMB session already authenticated the caller).
 */
public final class DcerpcPipe implements PipeEndpoint {
    static final int PTYPE_REQUEST = 0;
    static final int PTYPE_RESPONSE = 2;
    static final int PTYPE_FAULT = 3;
    static final int PTYPE_BIND = 11;
    static final int PTYPE_BIND_ACK = 12;
    static final int PTYPE_BIND_NAK = 13;
    static final int PTYPE_ALTER_CONTEXT = 14;
    static final int PTYPE_ALTER_CONTEXT_RESP = 15;
    static final int FIRST_FRAG = 0x01;
    static final int LAST_FRAG = 0x02;
    static final int OBJECT_UUID = 0x80;
    static final int HEADER = 16;
    static final UUID NDR = UUID.fromString("8a885d04-1ceb-11c9-9fe8-08002b104860");
    static final UUID BIND_TIME_FEATURES_PREFIX = UUID.fromString("6cb71c2c-9812-4540-0000-000000000000");
    private static final int MAX_PDU = 1 << 20;

    private final String pipeName;
    private final RpcInterface service;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Map<Integer, Boolean> contexts = new HashMap<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private byte[] outBuf = new byte[0];
    private int outPos;
    private int maxXmitFrag = 4280;
    private ByteArrayOutputStream requestStub;

    public DcerpcPipe(String pipeName, RpcInterface service) {
        this.pipeName = pipeName;
        this.service = service;
    }

    @Override
    public synchronized void write(byte[] input) {
        pending.writeBytes(input);
        byte[] all = pending.toByteArray();
        int pos = 0;
        while (all.length - pos >= HEADER) {
            int fragLen = (all[pos + 8] & 0xFF) | (all[pos + 9] & 0xFF) << 8;
            if (fragLen < HEADER || fragLen > MAX_PDU) {
                throw new RpcFault(RpcFault.NCA_S_PROTO_ERROR, "bad fragment length");
            }
            if (all.length - pos < fragLen) {
                break;
            }
            ByteBuf pdu = Unpooled.wrappedBuffer(all, pos, fragLen);
            handle(pdu);
            pos += fragLen;
        }
        pending.reset();
        pending.write(all, pos, all.length - pos);
    }

    @Override
    public synchronized byte[] read(int max) {
        if (outPos >= outBuf.length) {
            outBuf = output.toByteArray();
            output.reset();
            outPos = 0;
        }
        int n = Math.min(max, outBuf.length - outPos);
        byte[] b = java.util.Arrays.copyOfRange(outBuf, outPos, outPos + n);
        outPos += n;
        return b;
    }

    @Override
    public synchronized int available() {
        return outBuf.length - outPos + output.size();
    }

    private void handle(ByteBuf pdu) {
        int version = pdu.getUnsignedByte(0);
        int ptype = pdu.getUnsignedByte(2);
        int flags = pdu.getUnsignedByte(3);
        int callId = pdu.getIntLE(12);
        if (version != 5 || (pdu.getUnsignedByte(4) & 0xF0) != 0x10) {
            fault(callId, 0, RpcFault.NCA_S_PROTO_ERROR);
            return;
        }
        switch (ptype) {
            case PTYPE_BIND, PTYPE_ALTER_CONTEXT -> bind(pdu, callId, ptype == PTYPE_BIND);
            case PTYPE_REQUEST -> request(pdu, flags, callId);
            default -> fault(callId, 0, RpcFault.NCA_S_PROTO_ERROR);
        }
    }

    /** [C706] 12.6.4.3 bind and 12.6.4.4 bind_ack: accept NDR for our interface, refuse the rest. */
    private void bind(ByteBuf pdu, int callId, boolean isBind) {
        pdu.readerIndex(HEADER);
        int maxXmit = pdu.readUnsignedShortLE();
        pdu.readUnsignedShortLE(); // max_recv_frag
        long assoc = pdu.readUnsignedIntLE();
        int n = pdu.readUnsignedByte();
        pdu.skipBytes(3);
        maxXmitFrag = Math.max(1024, Math.min(maxXmit, 65535));
        ByteBuf results = org.bladeshare.smb.smb2.HeapBuffers.scratch();
        results.writeByte(n);
        results.writeZero(3);
        for (int i = 0; i < n && pdu.readableBytes() >= 24; i++) {
            int ctxId = pdu.readUnsignedShortLE();
            int nTransfer = pdu.readUnsignedByte();
            pdu.skipBytes(1);
            UUID abstractUuid = Guid.read(pdu);
            int abstractMajor = pdu.readUnsignedShortLE();
            pdu.readUnsignedShortLE();
            int result = 2; // provider rejection
            int reason = 2; // proposed transfer syntaxes not supported
            UUID accepted = null;
            int acceptedVersion = 0;
            boolean features = false;
            for (int t = 0; t < nTransfer && pdu.readableBytes() >= 20; t++) {
                UUID ts = Guid.read(pdu);
                long tsVersion = pdu.readUnsignedIntLE();
                if (ts.getMostSignificantBits() == BIND_TIME_FEATURES_PREFIX.getMostSignificantBits()) {
                    features = true;
                } else if (ts.equals(NDR) && tsVersion == 2 && accepted == null) {
                    accepted = ts;
                    acceptedVersion = 2;
                }
            }
            if (accepted != null && abstractUuid.equals(service.uuid()) && abstractMajor == service.majorVersion()) {
                result = 0;
                reason = 0;
                contexts.put(ctxId, true);
            } else if (accepted != null) {
                reason = 1; // abstract syntax not supported
            } else if (features) {
                result = 3; // negotiate_ack, no optional features
                reason = 0;
            }
            results.writeShortLE(result);
            results.writeShortLE(reason);
            if (accepted != null && result == 0) {
                Guid.write(results, accepted);
                results.writeIntLE(acceptedVersion);
            } else {
                results.writeZero(20);
            }
        }
        ByteBuf body = org.bladeshare.smb.smb2.HeapBuffers.scratch();
        body.writeShortLE(maxXmitFrag);
        body.writeShortLE(maxXmitFrag);
        body.writeIntLE(assoc == 0 ? 0x12345 : (int) assoc);
        if (isBind) {
            byte[] port = ("\\PIPE\\" + pipeName + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            body.writeShortLE(port.length);
            body.writeBytes(port);
        } else {
            body.writeShortLE(0);
        }
        while (((HEADER + body.writerIndex()) & 3) != 0) {
            body.writeByte(0);
        }
        body.writeBytes(results);
        emit(isBind ? PTYPE_BIND_ACK : PTYPE_ALTER_CONTEXT_RESP, FIRST_FRAG | LAST_FRAG, callId, body);
    }

    /** [C706] 12.6.4.9 request: reassemble fragments, call the operation, fragment the response. */
    private void request(ByteBuf pdu, int flags, int callId) {
        pdu.readerIndex(HEADER);
        pdu.readUnsignedIntLE(); // alloc_hint
        int ctxId = pdu.readUnsignedShortLE();
        int opnum = pdu.readUnsignedShortLE();
        if ((flags & OBJECT_UUID) != 0) {
            pdu.skipBytes(16);
        }
        int authLen = pdu.getUnsignedShortLE(10);
        int stubEnd = pdu.writerIndex() - (authLen > 0 ? authLen + 8 : 0);
        if ((flags & FIRST_FRAG) != 0) {
            requestStub = new ByteArrayOutputStream();
        }
        if (requestStub == null || stubEnd < pdu.readerIndex()) {
            fault(callId, ctxId, RpcFault.NCA_S_PROTO_ERROR);
            return;
        }
        byte[] part = new byte[stubEnd - pdu.readerIndex()];
        pdu.readBytes(part);
        requestStub.writeBytes(part);
        if (requestStub.size() > MAX_PDU) {
            requestStub = null;
            fault(callId, ctxId, RpcFault.NCA_S_PROTO_ERROR);
            return;
        }
        if ((flags & LAST_FRAG) == 0) {
            return;
        }
        byte[] stub = requestStub.toByteArray();
        requestStub = null;
        if (!contexts.containsKey(ctxId)) {
            fault(callId, ctxId, RpcFault.NCA_S_UNK_IF);
            return;
        }
        byte[] result;
        try {
            result = service.call(opnum, stub);
        } catch (RpcFault f) {
            fault(callId, ctxId, f.status());
            return;
        }
        int maxStub = maxXmitFrag - HEADER - 8;
        int pos = 0;
        do {
            int n = Math.min(maxStub, result.length - pos);
            ByteBuf body = org.bladeshare.smb.smb2.HeapBuffers.scratch();
            body.writeIntLE(result.length - pos); // alloc_hint
            body.writeShortLE(ctxId);
            body.writeByte(0);
            body.writeByte(0);
            body.writeBytes(result, pos, n);
            int f = (pos == 0 ? FIRST_FRAG : 0) | (pos + n >= result.length ? LAST_FRAG : 0);
            emit(PTYPE_RESPONSE, f, callId, body);
            pos += n;
        } while (pos < result.length);
    }

    private void fault(int callId, int ctxId, int status) {
        ByteBuf body = org.bladeshare.smb.smb2.HeapBuffers.scratch();
        body.writeIntLE(32);
        body.writeShortLE(ctxId);
        body.writeByte(0);
        body.writeByte(0);
        body.writeIntLE(status);
        body.writeIntLE(0);
        emit(PTYPE_FAULT, FIRST_FRAG | LAST_FRAG, callId, body);
    }

    private void emit(int ptype, int flags, int callId, ByteBuf body) {
        ByteBuf pdu = org.bladeshare.smb.smb2.HeapBuffers.scratch(HEADER + body.readableBytes());
        pdu.writeByte(5);
        pdu.writeByte(0);
        pdu.writeByte(ptype);
        pdu.writeByte(flags);
        pdu.writeInt(0x10000000); // little-endian integers, ASCII, IEEE floats
        pdu.writeShortLE(HEADER + body.readableBytes());
        pdu.writeShortLE(0);
        pdu.writeIntLE(callId);
        pdu.writeBytes(body);
        byte[] b = new byte[pdu.readableBytes()];
        pdu.readBytes(b);
        output.writeBytes(b);
    }
}
