package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.dtyp.Guid;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SMB2 NEGOTIATE ([MS-SMB2] 2.2.3, 2.2.4) with SMB 3.1.1 negotiate contexts (2.2.3.1). */
public final class Negotiate {
    private Negotiate() {
    }

    public static final int SECURITY_SIGNING_ENABLED = 0x0001;
    public static final int SECURITY_SIGNING_REQUIRED = 0x0002;

    public static final int CAP_DFS = 0x01;
    public static final int CAP_LEASING = 0x02;
    public static final int CAP_LARGE_MTU = 0x04;
    public static final int CAP_MULTI_CHANNEL = 0x08;
    public static final int CAP_PERSISTENT_HANDLES = 0x10;
    public static final int CAP_DIRECTORY_LEASING = 0x20;
    public static final int CAP_ENCRYPTION = 0x40;

    public static final int CTX_PREAUTH_INTEGRITY = 0x0001;
    public static final int CTX_ENCRYPTION = 0x0002;
    public static final int CTX_COMPRESSION = 0x0003;
    public static final int CTX_NETNAME = 0x0005;
    public static final int CTX_TRANSPORT = 0x0006;
    public static final int CTX_RDMA_TRANSFORM = 0x0007;
    public static final int CTX_SIGNING = 0x0008;

    public static final int HASH_SHA512 = 0x0001;

    /** A negotiate context: type and raw data. */
    public record Context(int type, byte[] data) {
    }

    public record Request(int securityMode, int capabilities, UUID clientGuid, List<Integer> dialects,
                          List<Context> contexts) {
        public static final int STRUCTURE_SIZE = 36;

        public static Request decode(ByteBuf msg) {
            int start = msg.readerIndex();
            if (msg.readableBytes() < STRUCTURE_SIZE || msg.readUnsignedShortLE() != STRUCTURE_SIZE) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad NEGOTIATE size");
            }
            int dialectCount = msg.readUnsignedShortLE();
            int securityMode = msg.readUnsignedShortLE();
            msg.skipBytes(2);
            int caps = msg.readIntLE();
            UUID guid = Guid.read(msg);
            long ctxOffset = msg.readUnsignedIntLE();
            int ctxCount = msg.readUnsignedShortLE();
            msg.skipBytes(2);
            if (dialectCount == 0 || msg.readableBytes() < dialectCount * 2) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad dialect count");
            }
            List<Integer> dialects = new ArrayList<>();
            for (int i = 0; i < dialectCount; i++) {
                dialects.add(msg.readUnsignedShortLE());
            }
            List<Context> contexts = new ArrayList<>();
            if (dialects.contains(Dialect.SMB_3_1_1.code()) && ctxCount > 0) {
                long pos = ctxOffset;
                for (int i = 0; i < ctxCount; i++) {
                    pos = (pos + 7) & ~7L;
                    Utf16.checkRange(msg, pos, 8);
                    int type = msg.getUnsignedShortLE((int) pos);
                    int len = msg.getUnsignedShortLE((int) pos + 2);
                    contexts.add(new Context(type, Utf16.copy(msg, (int) pos + 8, len)));
                    pos += 8 + len;
                }
            }
            msg.readerIndex(Math.max(msg.readerIndex(), start));
            return new Request(securityMode, caps, guid, List.copyOf(dialects), List.copyOf(contexts));
        }

        public void encode(ByteBuf out) {
            int base = out.writerIndex() - Smb2Header.SIZE;
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(dialects.size());
            out.writeShortLE(securityMode);
            out.writeShortLE(0);
            out.writeIntLE(capabilities);
            Guid.write(out, clientGuid);
            int ctxOffsetPos = out.writerIndex();
            out.writeIntLE(0);
            out.writeShortLE(contexts.size());
            out.writeShortLE(0);
            dialects.forEach(out::writeShortLE);
            if (!contexts.isEmpty()) {
                pad8(out, base);
                out.setIntLE(ctxOffsetPos, out.writerIndex() - base);
                writeContexts(out, base, contexts);
            }
        }
    }

    public record Response(int securityMode, int dialect, UUID serverGuid, int capabilities, int maxTransactSize,
                           int maxReadSize, int maxWriteSize, long systemTime, long serverStartTime,
                           byte[] securityBuffer, List<Context> contexts) {
        public static final int STRUCTURE_SIZE = 65;

        public void encode(ByteBuf out) {
            int base = out.writerIndex() - Smb2Header.SIZE;
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeShortLE(securityMode);
            out.writeShortLE(dialect);
            out.writeShortLE(contexts.size());
            Guid.write(out, serverGuid);
            out.writeIntLE(capabilities);
            out.writeIntLE(maxTransactSize);
            out.writeIntLE(maxReadSize);
            out.writeIntLE(maxWriteSize);
            out.writeLongLE(systemTime);
            out.writeLongLE(serverStartTime);
            out.writeShortLE(Smb2Header.SIZE + 64);
            out.writeShortLE(securityBuffer.length);
            int ctxOffsetPos = out.writerIndex();
            out.writeIntLE(0);
            out.writeBytes(securityBuffer);
            if (!contexts.isEmpty()) {
                pad8(out, base);
                out.setIntLE(ctxOffsetPos, out.writerIndex() - base);
                writeContexts(out, base, contexts);
            }
        }

        public static Response decode(ByteBuf msg) {
            if (msg.readUnsignedShortLE() != STRUCTURE_SIZE) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad NEGOTIATE response size");
            }
            int securityMode = msg.readUnsignedShortLE();
            int dialect = msg.readUnsignedShortLE();
            int ctxCount = msg.readUnsignedShortLE();
            UUID guid = Guid.read(msg);
            int caps = msg.readIntLE();
            int mts = msg.readIntLE();
            int mrs = msg.readIntLE();
            int mws = msg.readIntLE();
            long systemTime = msg.readLongLE();
            long startTime = msg.readLongLE();
            int secOff = msg.readUnsignedShortLE();
            int secLen = msg.readUnsignedShortLE();
            long ctxOffset = msg.readUnsignedIntLE();
            byte[] sec = Utf16.copy(msg, secOff, secLen);
            List<Context> contexts = new ArrayList<>();
            long pos = ctxOffset;
            for (int i = 0; i < ctxCount; i++) {
                pos = (pos + 7) & ~7L;
                int type = msg.getUnsignedShortLE((int) pos);
                int len = msg.getUnsignedShortLE((int) pos + 2);
                contexts.add(new Context(type, Utf16.copy(msg, (int) pos + 8, len)));
                pos += 8 + len;
            }
            return new Response(securityMode, dialect, guid, caps, mts, mrs, mws, systemTime, startTime, sec,
                List.copyOf(contexts));
        }
    }

    static void pad8(ByteBuf out, int base) {
        while (((out.writerIndex() - base) & 7) != 0) {
            out.writeByte(0);
        }
    }

    static void writeContexts(ByteBuf out, int base, List<Context> contexts) {
        for (int i = 0; i < contexts.size(); i++) {
            Context c = contexts.get(i);
            out.writeShortLE(c.type());
            out.writeShortLE(c.data().length);
            out.writeIntLE(0);
            out.writeBytes(c.data());
            if (i + 1 < contexts.size()) {
                pad8(out, base);
            }
        }
    }
}
