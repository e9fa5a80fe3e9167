package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Read;

import java.io.IOException;

/** SMB2 READ ([MS-SMB2] 3.3.5.12): reads straight into the response buffer. */
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
        out.ensureWritable(want);
        int total = 0;
        while (total < want) {
            int n = out.writeBytes(open.channel, r.offset() + total, want - total);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        if (total == 0 && want > 0 || total < r.minimumCount()) {
            throw new NtStatusException(NtStatus.END_OF_FILE);
        }
        out.setIntLE(headerAt + 4, total);
        open.position = r.offset() + total;
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
