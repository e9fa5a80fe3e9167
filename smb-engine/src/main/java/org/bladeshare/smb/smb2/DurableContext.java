package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

/**
 * Durable handle create contexts ([MS-SMB2] 2.2.13.2.3 DHnQ, 2.2.13.2.4 DHnC, 2.2.13.2.11 DH2Q,
 * 2.2.13.2.12 DH2C) and their responses (2.2.14.2.3, 2.2.14.2.12). GUIDs are carried as their 16 raw bytes.
 */
public final class DurableContext {
    private DurableContext() {
    }

    public static final String REQUEST_V1 = "DHnQ";
    public static final String RECONNECT_V1 = "DHnC";
    public static final String REQUEST_V2 = "DH2Q";
    public static final String RECONNECT_V2 = "DH2C";
    /** SMB2_DHANDLE_FLAG_PERSISTENT ([MS-SMB2] 2.2.13.2.11). */
    public static final int FLAG_PERSISTENT = 0x02;

    /** DH2Q: the timeout asked for (ms, 0 = server's choice), flags and the CreateGuid. */
    public record RequestV2(int timeoutMillis, int flags, byte[] createGuid) {
        public static RequestV2 decode(byte[] data) {
            if (data.length < 32) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "DH2Q too short");
            }
            ByteBuf in = Unpooled.wrappedBuffer(data);
            int timeout = in.readIntLE();
            int flags = in.readIntLE();
            in.skipBytes(8);
            byte[] guid = new byte[16];
            in.readBytes(guid);
            return new RequestV2(timeout, flags, guid);
        }

        public byte[] encode() {
            ByteBuf out = Unpooled.buffer(32);
            out.writeIntLE(timeoutMillis).writeIntLE(flags).writeLongLE(0).writeBytes(createGuid);
            return bytes(out);
        }
    }

    /** DHnC (v1: the FileId) or DH2C (v2: FileId, CreateGuid and flags). */
    public record Reconnect(int version, FileId fileId, byte[] createGuid, int flags) {
        public static Reconnect decodeV1(byte[] data) {
            if (data.length < 16) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "DHnC too short");
            }
            return new Reconnect(1, FileId.decode(Unpooled.wrappedBuffer(data)), null, 0);
        }

        public static Reconnect decodeV2(byte[] data) {
            if (data.length < 36) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "DH2C too short");
            }
            ByteBuf in = Unpooled.wrappedBuffer(data);
            FileId id = FileId.decode(in);
            byte[] guid = new byte[16];
            in.readBytes(guid);
            return new Reconnect(2, id, guid, in.readIntLE());
        }

        public byte[] encode() {
            ByteBuf out = Unpooled.buffer(36);
            fileId.encode(out);
            if (version == 2) {
                out.writeBytes(createGuid).writeIntLE(flags);
            }
            return bytes(out);
        }
    }

    /** The DHnQ response: 8 reserved bytes. */
    public static byte[] responseV1() {
        return new byte[8];
    }

    /** The DH2Q response: the timeout granted and the flags. */
    public static byte[] responseV2(int timeoutMillis, int flags) {
        return bytes(Unpooled.buffer(8).writeIntLE(timeoutMillis).writeIntLE(flags));
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}
