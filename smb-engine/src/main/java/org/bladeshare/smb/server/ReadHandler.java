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
        if (r.length() > ServerContext.MAX_IO_SIZE) {
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

    /** Up to this size the data is read straight into the response buffer. */
    private static final int INLINE_READ = 64 * 1024;
    /** Larger reads fill pooled direct buffers of this size, sent after the response body. */
    private static final int PIECE = 1024 * 1024;

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
     * A large read lands in pooled 1 MiB buffers instead of a response buffer grown to the read's
     * size (allocated, page-faulted and freed per READ of up to 8 MiB). From 2 MiB, the second
     * half is read by another thread at the same time.
     */
    private static int readIntoPayload(Request req, Open open, long offset, int want) throws IOException {
        try {
            return readPieces(req, open, offset, want);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading");
        }
    }

    private static int readPieces(Request req, Open open, long offset, int want) throws IOException,
        InterruptedException {
        int count = (want + PIECE - 1) / PIECE;
        ByteBuf[] pieces = new ByteBuf[count];
        int[] got = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                int size = Math.min(PIECE, want - i * PIECE);
                pieces[i] = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
            }
            int firstOfSecondHalf = count / 2;
            Thread helper = null;
            Exception[] helperFailed = new Exception[1];
            if (count >= 2) {
                helper = Thread.ofVirtual().start(() -> {
                    try {
                        fill(pieces, got, firstOfSecondHalf, count, open, offset);
                    } catch (IOException | RuntimeException e) {
                        helperFailed[0] = e;
                    }
                });
            }
            try {
                fill(pieces, got, 0, count >= 2 ? firstOfSecondHalf : count, open, offset);
            } finally {
                if (helper != null) {
                    helper.join(); // the pieces are released only once the helper is done with them
                }
            }
            if (helperFailed[0] instanceof IOException e) {
                throw e;
            } else if (helperFailed[0] instanceof RuntimeException e) {
                throw e;
            }
            CompositeByteBuf data = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer(count);
            int total = 0;
            for (int i = 0; i < count; i++) {
                ByteBuf piece = pieces[i];
                pieces[i] = null;
                if (total == i * PIECE && got[i] > 0) { // stop at the first short piece (end of file)
                    data.addComponent(true, piece);
                    total += got[i];
                } else {
                    piece.release();
                }
            }
            req.payload = data;
            return total;
        } finally {
            for (ByteBuf piece : pieces) {
                if (piece != null) {
                    piece.release();
                }
            }
        }
    }

    /** Reads pieces [from, to) at their offsets; a short piece (end of file) ends the range. */
    private static void fill(ByteBuf[] pieces, int[] got, int from, int to, Open open, long offset) throws IOException {
        for (int i = from; i < to; i++) {
            got[i] = readInto(pieces[i], open, offset + (long) i * PIECE, pieces[i].capacity());
            if (got[i] < pieces[i].capacity()) {
                return;
            }
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
