package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.fscc.Fsctl;
import org.bladeshare.smb.smb2.CopyChunk;
import org.bladeshare.smb.smb2.Ioctl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Server-side copy ([MS-SMB2] 3.3.5.15.5, 3.3.5.15.6): a client asks for the resume key of its
 * source open, then has the server copy chunks of it into a destination open, so a copy within
 * the server (Windows Explorer, robocopy, macOS Finder) never crosses the network.
 *
 * <p>A resume key is 24 random bytes, found only among the opens of the session that asks (on
 * any of its tree connects): another user's open cannot be named by guessing or reusing a key.
 */
final class ServerSideCopy {
    /** ServerSideCopyMaxNumberofChunks, ServerSideCopyMaxChunkSize, ServerSideCopyMaxDataSize ([MS-SMB2] 3.3.3). */
    static final int MAX_CHUNKS = 256;
    static final int MAX_CHUNK_SIZE = 1024 * 1024;
    static final int MAX_DATA_SIZE = 16 * 1024 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ServerSideCopy() {
    }

    /** FSCTL_SRV_REQUEST_RESUME_KEY ([MS-SMB2] 3.3.5.15.5). */
    static void requestResumeKey(Request req, Ioctl.Request r, ByteBuf out) {
        Open open = req.open(r.fileId());
        if (open.pipe != null) {
            throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, "resume key of a pipe");
        }
        if (r.maxOutputResponse() < CopyChunk.RESUME_KEY_RESPONSE_SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "no room for the resume key");
        }
        new Ioctl.Response(r.ctlCode(), open.fileId(), CopyChunk.encodeResumeKey(keyOf(open))).encode(out);
    }

    private static byte[] keyOf(Open open) {
        synchronized (open) {
            if (open.resumeKey == null) {
                byte[] key = new byte[CopyChunk.KEY_SIZE];
                RANDOM.nextBytes(key);
                open.resumeKey = key;
            }
            return open.resumeKey;
        }
    }

    /** FSCTL_SRV_COPYCHUNK and FSCTL_SRV_COPYCHUNK_WRITE ([MS-SMB2] 3.3.5.15.6). */
    static void copyChunks(Request req, Ioctl.Request r, ByteBuf out) throws IOException {
        Open target = req.open(r.fileId());
        if (r.maxOutputResponse() < CopyChunk.RESPONSE_SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "no room for SRV_COPYCHUNK_RESPONSE");
        }
        var copy = CopyChunk.Copy.decode(r.input(), MAX_CHUNKS);
        if (copy.tooManyChunks() || !withinLimits(copy)) {
            // the client learns the limits from the same three fields
            answer(req, r, target, NtStatus.INVALID_PARAMETER, new CopyChunk.Result(MAX_CHUNKS, MAX_CHUNK_SIZE,
                MAX_DATA_SIZE), out);
            return;
        }
        Open source = findByKey(req.session, copy.sourceKey());
        if (source == null) {
            throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, "no open has this resume key");
        }
        if (source.pipe != null || target.pipe != null || source.directory || target.directory) {
            throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, "server-side copy of a pipe or directory");
        }
        Handlers.requireAccess(source, AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE); // as READ allows
        Handlers.requireWritable(target.tree);
        Handlers.requireAccess(target, AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA);
        if (r.ctlCode() == Fsctl.SRV_COPYCHUNK) {
            Handlers.requireAccess(target, AccessMask.FILE_READ_DATA);
        }
        long chunks = 0;
        long total = 0;
        int status = NtStatus.SUCCESS;
        if (!copy.chunks().isEmpty()) {
            req.server().oplocks.breakLevelTwoForWrite(target);
            req.server().notifier.writing(target);
        }
        ByteBuf buffer = ReadBuffers.take();
        try {
            for (CopyChunk.Chunk c : copy.chunks()) {
                try {
                    copyOne(req, source, target, c, buffer);
                } catch (NtStatusException e) {
                    status = e.status();
                    break;
                }
                chunks++;
                total += c.length();
            }
        } finally {
            buffer.release();
        }
        // a failed chunk copies nothing, so no chunk is left written in part
        answer(req, r, target, status, new CopyChunk.Result(chunks, 0, total), out);
    }

    private static boolean withinLimits(CopyChunk.Copy copy) {
        long total = 0;
        for (CopyChunk.Chunk c : copy.chunks()) {
            if (c.length() == 0 || c.length() > MAX_CHUNK_SIZE || c.sourceOffset() < 0 || c.targetOffset() < 0
                || c.sourceOffset() > Long.MAX_VALUE - c.length() || c.targetOffset() > Long.MAX_VALUE - c.length()) {
                return false; // [MS-FSA] 2.1.5.2-3: an offset plus its length past MAXLONGLONG is invalid
            }
            total += c.length();
        }
        return total <= MAX_DATA_SIZE;
    }

    /** Reads the whole chunk before writing it, so a source range overlapping its target copies as it was. */
    private static void copyOne(Request req, Open source, Open target, CopyChunk.Chunk c, ByteBuf buffer)
        throws IOException {
        int length = (int) c.length();
        if (c.sourceOffset() + length > source.channel.size()) {
            throw new NtStatusException(NtStatus.INVALID_VIEW_SIZE, "chunk ends past the source's end");
        }
        ReadHandler.checkLocks(req, source, c.sourceOffset(), length, false);
        ReadHandler.checkLocks(req, target, c.targetOffset(), length, true);
        buffer.clear();
        while (buffer.writerIndex() < length) {
            int n = buffer.writeBytes(source.channel, c.sourceOffset() + buffer.writerIndex(),
                length - buffer.writerIndex());
            if (n <= 0) {
                throw new NtStatusException(NtStatus.INVALID_VIEW_SIZE, "the source shrank during the copy");
            }
        }
        ByteBuffer data = buffer.nioBuffer(0, length);
        target.writing.lock();
        try {
            long pos = c.targetOffset();
            while (data.hasRemaining()) {
                pos += target.channel.write(data, pos);
            }
        } finally {
            target.writing.unlock();
        }
    }

    private static Open findByKey(Session session, byte[] key) {
        if (session == null) {
            return null;
        }
        for (Open open : session.opens.values()) {
            byte[] k = open.resumeKey;
            if (k != null && MessageDigest.isEqual(k, key)) {
                return open;
            }
        }
        return null;
    }

    /** The response carries SRV_COPYCHUNK_RESPONSE whatever the status ([MS-SMB2] 3.3.5.15.6). */
    private static void answer(Request req, Ioctl.Request r, Open target, int status, CopyChunk.Result result,
                               ByteBuf out) {
        req.status = status;
        new Ioctl.Response(r.ctlCode(), target.fileId(), result.encode()).encode(out);
    }
}
