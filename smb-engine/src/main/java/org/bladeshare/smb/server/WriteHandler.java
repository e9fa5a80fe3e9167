package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Write;

import java.io.IOException;
import java.nio.ByteBuffer;

/** SMB2 WRITE ([MS-SMB2] 3.3.5.13). */
final class WriteHandler implements CommandHandler {
    /**
     * MaxWriteSize from SMB 2.1 on ([MS-SMB2] 3.3.5.4), what Windows clients write in anyway. A
     * client keeping a fixed window in flight (smbclient: 16 MiB) then sends sixteen WRITEs where
     * it sent two 8 MiB ones, so its reading and signing, our receiving and checking, and the copy
     * into the file overlap instead of waiting for one another: a 1 GiB put went from 0.84-0.96 to
     * 1.03-1.21 GB/s here, with Samba's smbd at 0.81-0.99 GB/s in the same runs.
     */
    static final int MAX_WRITE_SIZE = 1024 * 1024;

    @Override
    public void handle(Request req, ByteBuf out) throws IOException {
        var r = Write.Request.decode(req.message);
        Open open = req.open(r.fileId());
        int len = r.data().readableBytes();
        if (len > MAX_WRITE_SIZE) { // [MS-SMB2] 3.3.5.13
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "write larger than MaxWriteSize");
        }
        if (open.pipe != null) {
            byte[] data = new byte[len];
            r.data().getBytes(r.data().readerIndex(), data);
            open.pipe.write(data);
            new Write.Response(len).encode(out);
            return;
        }
        if (open.directory) {
            throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, "write to a directory");
        }
        Handlers.requireWritable(req.tree);
        Handlers.requireAccess(open, AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA);
        long offset = r.offset();
        if (offset == -1L) {
            offset = open.channel.size(); // [MS-SMB2] 3.3.5.13: 0xFFFFFFFFFFFFFFFF appends
        } else if (offset < 0 || offset > Long.MAX_VALUE - len) {
            // [MS-FSA] 2.1.5.3: ByteOffset + ByteCount past MAXLONGLONG is invalid
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "offset out of range");
        }
        ReadHandler.checkLocks(req, open, offset, len, true);
        req.server().oplocks.breakLevelTwoForWrite(open); // oplock hook (issue 4)
        req.server().notifier.writing(open); // change notify hook (issue 4): reported at close
        ByteBuffer[] bufs = r.data().nioBuffers();
        long pos = offset;
        // Overlapping WRITEs (RequestScheduler) check their signatures at once but copy into the
        // page cache one at a time: the kernel serializes them on the inode's lock anyway, and
        // its waiters spin on the owner (a quarter of a 1 GiB put's CPU when the copy met memory
        // the hypervisor had not yet backed), where a waiter here sleeps and frees its core.
        // The data is one gathering write (writev at the open's file position, which only WRITEs move,
        // under this lock), not a pwrite per socket read it arrived in: the kernel sizes the page
        // cache's folios by the length of one write, so a 1 MiB write fills a few large folios
        // where 64 KiB pieces each took a small one.
        open.writing.lock();
        try {
            open.channel.position(pos);
            long left = len;
            while (left > 0) {
                left -= open.channel.write(bufs);
            }
            pos += len;
            open.position = pos;
        } finally {
            open.writing.unlock();
        }
        if ((r.flags() & 0x1) != 0) { // SMB2_WRITEFLAG_WRITE_THROUGH
            open.channel.force(false);
        }
        new Write.Response(pos - offset).encode(out);
    }
}
