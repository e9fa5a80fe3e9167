package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Read;

import java.io.IOException;

/** SMB2 READ ([MS-SMB2] 3.3.5.12): reads straight into the response buffer or pooled buffers sent after it. */
final class ReadHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) throws IOException {
        var r = Read.Request.decode(req.message);
        Open open = req.open(r.fileId());
        if (r.length() > MAX_READ_SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "read larger than MaxReadSize");
        }
        if (open.pipe != null) {
            byte[] data = open.pipe.read((int) r.length());
            if (data.length == 0 && r.length() > 0) {
                throw new NtStatusException(NtStatus.PIPE_EMPTY, "no reply pending");
            }
            if (open.pipe.available() > 0) {
                req.status = NtStatus.BUFFER_OVERFLOW; // message-mode pipe: the rest comes with the next READ
            }
            Read.encodeResponseHeader(out, data.length);
            out.writeBytes(data);
            return;
        }
        if (open.directory) {
            throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, "read of a directory");
        }
        Handlers.requireAccess(open, AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE);
        if (r.offset() < 0) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "negative offset");
        }
        int want = (int) r.length();
        checkLocks(req, open, r.offset(), want, false);
        int headerAt = out.writerIndex();
        Read.encodeResponseHeader(out, 0);
        int total = want <= INLINE_READ ? readInto(out, open, r.offset(), want) : readIntoPayload(req, open, r.offset(),
            want);
        if (total == 0 && want > 0 || total < r.minimumCount()) {
            if (req.payload != null) {
                req.payload.release();
                req.payload = null;
            }
            throw new NtStatusException(NtStatus.END_OF_FILE);
        }
        out.setIntLE(headerAt + 4, total);
        open.position = r.offset() + total;
    }

    /** MaxReadSize from SMB 2.1 on ([MS-SMB2] 3.3.5.4, 3.3.5.12). */
    static final int MAX_READ_SIZE = 1024 * 1024;
    /** Up to this size the data is read straight into the response buffer. */
    private static final int INLINE_READ = 64 * 1024;
    /** Larger reads fill kept direct buffers of this size, sent after the response body. */
    private static final int PIECE = ReadBuffers.PIECE;

    private static int readInto(ByteBuf buf, Open open, long offset, int want) throws IOException {
        buf.ensureWritable(want);
        int total = 0;
        while (total < want) {
            int n = buf.writeBytes(open.channel, offset + total, want - total);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * A large read lands in kept 1 MiB buffers ({@link ReadBuffers}) instead of a response buffer grown to the read's
     * size (beyond the allocator's pooled sizes: allocated, page-faulted and freed per READ).
     */
    private static int readIntoPayload(Request req, Open open, long offset, int want) throws IOException {
        CompositeByteBuf data = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer((want + PIECE - 1) / PIECE);
        try {
            int total = 0;
            while (total < want) {
                int size = Math.min(PIECE, want - total);
                ByteBuf piece = ReadBuffers.take();
                int n;
                try {
                    n = readInto(piece, open, offset + total, size);
                } catch (IOException | RuntimeException e) {
                    piece.release();
                    throw e;
                }
                data.addComponent(true, piece);
                total += n;
                if (n < size) {
                    break; // end of file
                }
            }
            req.payload = data;
            return total;
        } catch (IOException | RuntimeException e) {
            data.release();
            throw e;
        }
    }

    /** [MS-FSA] 2.1.4.10: I/O through one open must not cross another open's conflicting lock. */
    static void checkLocks(Request req, Open open, long offset, long length, boolean write) {
        if (open.fileKey != null && length > 0) {
            int status = req.server().state.locks().checkIo(open.fileKey, open.fileId.persistent(), offset, length,
                write);
            if (status != NtStatus.SUCCESS) {
                throw new NtStatusException(status);
            }
        }
    }
}
