package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

import java.util.ArrayList;
import java.util.List;

/**
 * Server-side copy: SRV_COPYCHUNK_COPY ([MS-SMB2] 2.2.31.1.1), SRV_COPYCHUNK_RESPONSE (2.2.32.1)
 * and SRV_REQUEST_RESUME_KEY's response (2.2.32.3).
 */
public final class CopyChunk {
    private CopyChunk() {
    }

    /** The size of a resume key, which names the source open. */
    public static final int KEY_SIZE = 24;
    /** ResumeKey, ContextLength and the 4-byte Context that Windows and Samba send (always empty). */
    public static final int RESUME_KEY_RESPONSE_SIZE = KEY_SIZE + 8;
    /** SRV_COPYCHUNK_RESPONSE: ChunksWritten, ChunkBytesWritten, TotalBytesWritten. */
    public static final int RESPONSE_SIZE = 12;
    private static final int CHUNK_SIZE = 24;

    /** One SRV_COPYCHUNK element: {@code length} bytes from the source at one offset to the target at another. */
    public record Chunk(long sourceOffset, long targetOffset, long length) {
    }

    /** A decoded copy request: the source's resume key and the chunks, in order. */
    public record Copy(byte[] sourceKey, List<Chunk> chunks) {
        /**
         * Decodes the FSCTL's input. A count larger than the chunks present is malformed; the
         * caller limits the count before anything is copied.
         */
        public static Copy decode(byte[] input, int maxChunks) {
            ByteBuf in = Unpooled.wrappedBuffer(input);
            if (in.readableBytes() < KEY_SIZE + 8) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "SRV_COPYCHUNK_COPY shorter than its header");
            }
            byte[] key = new byte[KEY_SIZE];
            in.readBytes(key);
            long count = in.readUnsignedIntLE();
            in.skipBytes(4); // Reserved
            if (count > maxChunks) {
                return new Copy(key, null); // over the limit: answered with the limits, never read
            }
            if (in.readableBytes() < count * CHUNK_SIZE) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "SRV_COPYCHUNK_COPY names " + count
                    + " chunks and holds fewer");
            }
            List<Chunk> chunks = new ArrayList<>((int) count);
            for (int i = 0; i < count; i++) {
                long source = in.readLongLE();
                long target = in.readLongLE();
                long length = in.readUnsignedIntLE();
                in.skipBytes(4);
                chunks.add(new Chunk(source, target, length));
            }
            return new Copy(key, List.copyOf(chunks));
        }

        /** True when the chunk count was over the limit given to {@link #decode}. */
        public boolean tooManyChunks() {
            return chunks == null;
        }

        public byte[] encode() {
            ByteBuf out = Unpooled.buffer(KEY_SIZE + 8 + chunks.size() * CHUNK_SIZE);
            out.writeBytes(sourceKey);
            out.writeIntLE(chunks.size());
            out.writeIntLE(0);
            for (Chunk c : chunks) {
                out.writeLongLE(c.sourceOffset());
                out.writeLongLE(c.targetOffset());
                out.writeIntLE((int) c.length());
                out.writeIntLE(0);
            }
            return toArray(out);
        }
    }

    /**
     * SRV_COPYCHUNK_RESPONSE. After a copy: chunks written in full, bytes of a chunk written in
     * part, and bytes written in all. When a limit was exceeded ([MS-SMB2] 3.3.5.15.6): the
     * server's limits instead, in the same three fields.
     */
    public record Result(long chunksWritten, long chunkBytesWritten, long totalBytesWritten) {
        public byte[] encode() {
            ByteBuf out = Unpooled.buffer(RESPONSE_SIZE);
            out.writeIntLE((int) chunksWritten);
            out.writeIntLE((int) chunkBytesWritten);
            out.writeIntLE((int) totalBytesWritten);
            return toArray(out);
        }

        public static Result decode(byte[] output) {
            ByteBuf in = Unpooled.wrappedBuffer(output);
            return new Result(in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readUnsignedIntLE());
        }
    }

    /** SRV_REQUEST_RESUME_KEY's response: the key, then an empty context. */
    public static byte[] encodeResumeKey(byte[] key) {
        ByteBuf out = Unpooled.buffer(RESUME_KEY_RESPONSE_SIZE);
        out.writeBytes(key);
        out.writeIntLE(0); // ContextLength
        out.writeIntLE(0); // Context
        return toArray(out);
    }

    private static byte[] toArray(ByteBuf out) {
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }
}
