package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

import java.nio.charset.StandardCharsets;

/** UTF-16LE strings addressed by offset/length pairs relative to the start of a message. */
public final class Utf16 {
    private Utf16() {
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    /** Reads {@code length} bytes at {@code offset} of {@code msg} (absolute in the message slice). */
    public static String read(ByteBuf msg, int offset, int length) {
        if (length == 0) {
            return "";
        }
        checkRange(msg, offset, length);
        if ((length & 1) != 0) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "odd UTF-16 length");
        }
        return msg.toString(offset, length, StandardCharsets.UTF_16LE);
    }

    /** Throws INVALID_PARAMETER when [offset, offset+length) is outside the message. */
    public static void checkRange(ByteBuf msg, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > msg.writerIndex()) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "buffer outside the message");
        }
    }

    public static byte[] copy(ByteBuf msg, int offset, int length) {
        checkRange(msg, offset, length);
        byte[] b = new byte[length];
        msg.getBytes(offset, b);
        return b;
    }
}
