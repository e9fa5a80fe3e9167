package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** SMB2 CREATE ([MS-SMB2] 2.2.13, 2.2.14) with create contexts (2.2.13.2). */
public final class Create {
    private Create() {
    }

    public static final int SUPERSEDE = 0;
    public static final int OPEN = 1;
    public static final int CREATE = 2;
    public static final int OPEN_IF = 3;
    public static final int OVERWRITE = 4;
    public static final int OVERWRITE_IF = 5;

    public static final int ACTION_SUPERSEDED = 0;
    public static final int ACTION_OPENED = 1;
    public static final int ACTION_CREATED = 2;
    public static final int ACTION_OVERWRITTEN = 3;

    public static final int OPT_DIRECTORY_FILE = 0x00000001;
    public static final int OPT_WRITE_THROUGH = 0x00000002;
    public static final int OPT_NON_DIRECTORY_FILE = 0x00000040;
    public static final int OPT_DELETE_ON_CLOSE = 0x00001000;
    public static final int OPT_OPEN_REPARSE_POINT = 0x00200000;

    /** A create context: 4-character-or-GUID name and data. */
    public record Context(String name, byte[] data) {
    }

    /** ImpersonationLevel values ([MS-SMB2] 2.2.13): Anonymous 0 to Delegate 3. */
    public static final int IMPERSONATION_DELEGATE = 3;

    public record Request(int securityFlags, int oplockLevel, int impersonation, int desiredAccess,
                          int fileAttributes, int shareAccess, int disposition, int options, String name,
                          List<Context> contexts) {
        public static final int STRUCTURE_SIZE = 57;

        public static Request decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "CREATE");
            int secFlags = msg.readUnsignedByte();
            int oplock = msg.readUnsignedByte();
            int imp = msg.readIntLE();
            msg.skipBytes(16); // SmbCreateFlags, Reserved
            int access = msg.readIntLE();
            int attrs = msg.readIntLE();
            int share = msg.readIntLE();
            int disp = msg.readIntLE();
            int opts = msg.readIntLE();
            int nameOff = msg.readUnsignedShortLE();
            int nameLen = msg.readUnsignedShortLE();
            long ctxOff = msg.readUnsignedIntLE();
            long ctxLen = msg.readUnsignedIntLE();
            String name = Utf16.read(msg, nameOff, nameLen);
            List<Context> contexts = ctxLen == 0 ? List.of() : decodeContexts(Wire.slice(msg, ctxOff, ctxLen));
            return new Request(secFlags, oplock, imp, access, attrs, share, disp, opts, name, contexts);
        }

        public void encode(ByteBuf out) {
            int base = Wire.base(out);
            byte[] n = Utf16.bytes(name);
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeByte(securityFlags);
            out.writeByte(oplockLevel);
            out.writeIntLE(impersonation);
            out.writeZero(16);
            out.writeIntLE(desiredAccess);
            out.writeIntLE(fileAttributes);
            out.writeIntLE(shareAccess);
            out.writeIntLE(disposition);
            out.writeIntLE(options);
            out.writeShortLE(Smb2Header.SIZE + 56);
            out.writeShortLE(n.length);
            int ctxPos = out.writerIndex();
            out.writeIntLE(0);
            out.writeIntLE(0);
            out.writeBytes(n);
            if (n.length == 0) {
                out.writeByte(0);
            }
            if (!contexts.isEmpty()) {
                Negotiate.pad8(out, base);
                int start = out.writerIndex();
                encodeContexts(out, contexts);
                out.setIntLE(ctxPos, start - base);
                out.setIntLE(ctxPos + 4, out.writerIndex() - start);
            }
        }
    }

    public record Response(int oplockLevel, int flags, int createAction, long creationTime, long lastAccessTime,
                           long lastWriteTime, long changeTime, long allocationSize, long endOfFile,
                           int fileAttributes, FileId fileId, List<Context> contexts) {
        public static final int STRUCTURE_SIZE = 89;

        public void encode(ByteBuf out) {
            int base = Wire.base(out);
            out.writeShortLE(STRUCTURE_SIZE);
            out.writeByte(oplockLevel);
            out.writeByte(flags);
            out.writeIntLE(createAction);
            out.writeLongLE(creationTime);
            out.writeLongLE(lastAccessTime);
            out.writeLongLE(lastWriteTime);
            out.writeLongLE(changeTime);
            out.writeLongLE(allocationSize);
            out.writeLongLE(endOfFile);
            out.writeIntLE(fileAttributes);
            out.writeIntLE(0);
            fileId.encode(out);
            int ctxPos = out.writerIndex();
            out.writeIntLE(0);
            out.writeIntLE(0);
            if (contexts.isEmpty()) {
                out.writeByte(0);
            } else {
                int start = out.writerIndex();
                encodeContexts(out, contexts);
                out.setIntLE(ctxPos, start - base);
                out.setIntLE(ctxPos + 4, out.writerIndex() - start);
            }
        }

        public static Response decode(ByteBuf msg) {
            Wire.expectStructure(msg, STRUCTURE_SIZE, "CREATE response");
            int oplock = msg.readUnsignedByte();
            int flags = msg.readUnsignedByte();
            int action = msg.readIntLE();
            long ct = msg.readLongLE();
            long at = msg.readLongLE();
            long wt = msg.readLongLE();
            long cht = msg.readLongLE();
            long alloc = msg.readLongLE();
            long eof = msg.readLongLE();
            int attrs = msg.readIntLE();
            msg.skipBytes(4);
            FileId id = FileId.decode(msg);
            long ctxOff = msg.readUnsignedIntLE();
            long ctxLen = msg.readUnsignedIntLE();
            List<Context> contexts = ctxLen == 0 ? List.of() : decodeContexts(Wire.slice(msg, ctxOff, ctxLen));
            return new Response(oplock, flags, action, ct, at, wt, cht, alloc, eof, attrs, id, contexts);
        }
    }

    /** [MS-SMB2] 2.2.13.2: chained SMB2_CREATE_CONTEXT structures, each 8-byte aligned. */
    public static List<Context> decodeContexts(ByteBuf buf) {
        List<Context> out = new ArrayList<>();
        int pos = 0;
        for (int guard = 0; guard < 64; guard++) {
            Utf16.checkRange(buf, pos, 16);
            long next = buf.getUnsignedIntLE(pos);
            int nameOff = buf.getUnsignedShortLE(pos + 4);
            int nameLen = buf.getUnsignedShortLE(pos + 6);
            int dataOff = buf.getUnsignedShortLE(pos + 10);
            long dataLen = buf.getUnsignedIntLE(pos + 12);
            Utf16.checkRange(buf, pos + nameOff, nameLen);
            String name = buf.toString(pos + nameOff, nameLen, StandardCharsets.ISO_8859_1);
            byte[] data = dataLen == 0 ? new byte[0] : Utf16.copy(buf, pos + dataOff, (int) dataLen);
            out.add(new Context(name, data));
            if (next == 0) {
                return out;
            }
            if (next < 16 || (next & 7) != 0) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad create context chain");
            }
            pos += (int) next;
        }
        throw new NtStatusException(NtStatus.INVALID_PARAMETER, "too many create contexts");
    }

    public static void encodeContexts(ByteBuf out, List<Context> contexts) {
        for (int i = 0; i < contexts.size(); i++) {
            Context c = contexts.get(i);
            int start = out.writerIndex();
            byte[] name = c.name().getBytes(StandardCharsets.ISO_8859_1);
            int dataOff = (16 + name.length + 7) & ~7;
            out.writeIntLE(0);
            out.writeShortLE(16);
            out.writeShortLE(name.length);
            out.writeShortLE(0);
            out.writeShortLE(c.data().length == 0 ? 0 : dataOff);
            out.writeIntLE(c.data().length);
            out.writeBytes(name);
            if (c.data().length > 0) {
                out.writeZero(dataOff - 16 - name.length);
                out.writeBytes(c.data());
            }
            if (i + 1 < contexts.size()) {
                while (((out.writerIndex() - start) & 7) != 0) {
                    out.writeByte(0);
                }
                out.setIntLE(start, out.writerIndex() - start);
            }
        }
    }
}
