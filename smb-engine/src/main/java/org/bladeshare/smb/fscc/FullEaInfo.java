package org.bladeshare.smb.fscc;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * FILE_FULL_EA_INFORMATION ([MS-FSCC] 2.4.15): a chain of extended attributes, each
 * NextEntryOffset, Flags, EaNameLength, EaValueLength, the ASCII name with a NUL, the value;
 * entries start on 4-byte boundaries.
 */
public final class FullEaInfo {
    /** One extended attribute; an empty value removes it when set. */
    public record Ea(String name, byte[] value) {
    }

    private FullEaInfo() {
    }

    /** Bytes one entry takes, without the padding that precedes the next. */
    public static int entrySize(Ea ea) {
        return 8 + ea.name().length() + 1 + ea.value().length;
    }

    /** Decodes a chain; a malformed one is STATUS_EA_LIST_INCONSISTENT / INVALID_PARAMETER. */
    public static List<Ea> decode(ByteBuf b) {
        List<Ea> out = new ArrayList<>();
        int base = b.readerIndex();
        int end = b.writerIndex();
        int pos = base;
        for (int i = 0; i < 4096 && pos < end; i++) {
            if (end - pos < 8) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "short EA entry");
            }
            long next = b.getUnsignedIntLE(pos);
            int nameLen = b.getUnsignedByte(pos + 5);
            int valueLen = b.getUnsignedShortLE(pos + 6);
            if (pos + 8 + nameLen + 1 + valueLen > end || nameLen == 0) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "EA entry overruns the buffer");
            }
            String name = b.toString(pos + 8, nameLen, StandardCharsets.US_ASCII);
            byte[] value = new byte[valueLen];
            b.getBytes(pos + 8 + nameLen + 1, value);
            out.add(new Ea(name, value));
            if (next == 0) {
                return out;
            }
            if ((next & 3) != 0 || next < 8) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "misaligned EA entry");
            }
            pos += (int) next;
        }
        if (pos < end) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "EA chain too long");
        }
        return out;
    }

    /**
     * Encodes as many whole entries as fit in {@code limit} bytes; returns how many were written.
     */
    public static int encode(ByteBuf out, List<Ea> eas, int limit) {
        int start = out.writerIndex();
        int last = -1;
        int written = 0;
        for (Ea ea : eas) {
            int aligned = last < 0 ? start : (out.writerIndex() + 3) & ~3;
            if (aligned - start + entrySize(ea) > limit) {
                break;
            }
            if (last >= 0) {
                out.writeZero(aligned - out.writerIndex());
                out.setIntLE(last, aligned - last);
            }
            last = out.writerIndex();
            out.writeIntLE(0).writeByte(0).writeByte(ea.name().length()).writeShortLE(ea.value().length);
            out.writeBytes(ea.name().getBytes(StandardCharsets.US_ASCII)).writeByte(0).writeBytes(ea.value());
            written++;
        }
        return written;
    }
}
