package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.ChangeNotify;
import org.bladeshare.smb.smb2.QueryDirectory;
import org.bladeshare.smb.smb2.Utf16;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SMB2 CHANGE_NOTIFY ([MS-SMB2] 3.3.5.19): changes are collected per open from the first request
 * on; a request with nothing collected goes asynchronous until a change arrives or it is cancelled.
 */
final class ChangeNotifyHandler implements CommandHandler {
    private static final int MAX_BUFFERED = 1000;

    /** Per-open notify state: buffered changes and the request waiting for them. */
    static final class Watch implements DirectoryWatcher.Listener {
        final int filter;
        final List<Object[]> changes = new ArrayList<>();
        boolean overflow;
        AsyncOp pending;
        long pendingLimit;
        DirectoryWatcher.Subscription subscription;

        Watch(int filter) {
            this.filter = filter;
        }

        @Override
        public synchronized void changed(int action, String relativePath, boolean lost) {
            boolean nameChange = action != ChangeNotify.ACTION_MODIFIED;
            int wanted = nameChange ? ChangeNotify.FILTER_FILE_NAME | ChangeNotify.FILTER_DIR_NAME
                : ChangeNotify.FILTER_ATTRIBUTES | ChangeNotify.FILTER_SIZE | ChangeNotify.FILTER_LAST_WRITE
                | 0x20 | 0x40 | 0x80 | 0x100;
            if (!lost && (filter & wanted) == 0) {
                return;
            }
            if (lost || changes.size() >= MAX_BUFFERED) {
                overflow = true;
            } else {
                changes.add(new Object[]{action, relativePath.replace('/', '\\')});
            }
            if (pending != null) {
                AsyncOp op = pending;
                pending = null;
                deliver(op, pendingLimit);
            }
        }

        /** Completes {@code op} with what has been collected (caller holds the lock). */
        void deliver(AsyncOp op, long limit) {
            ByteBuf data = encode(limit);
            boolean enumDir = overflow || data == null;
            changes.clear();
            overflow = false;
            if (enumDir) {
                op.complete(NtStatus.NOTIFY_ENUM_DIR, out -> QueryDirectory.encodeResponse(out, Unpooled.EMPTY_BUFFER));
            } else {
                op.complete(NtStatus.SUCCESS, out -> QueryDirectory.encodeResponse(out, data));
            }
        }

        /** FILE_NOTIFY_INFORMATION entries ([MS-FSCC] 2.7.1), or null when they do not fit. */
        ByteBuf encode(long limit) {
            ByteBuf b = org.bladeshare.smb.smb2.HeapBuffers.scratch();
            int last = -1;
            for (Object[] c : changes) {
                int aligned = (b.writerIndex() + 3) & ~3;
                byte[] name = Utf16.bytes((String) c[1]);
                if (aligned + 12 + name.length > limit) {
                    return null;
                }
                b.writeZero(aligned - b.writerIndex());
                if (last >= 0) {
                    b.setIntLE(last, aligned - last);
                }
                last = b.writerIndex();
                b.writeIntLE(0);
                b.writeIntLE((Integer) c[0]);
                b.writeIntLE(name.length);
                b.writeBytes(name);
            }
            return b;
        }

        synchronized void cleanup() {
            if (subscription != null) {
                subscription.close();
            }
            if (pending != null) {
                AsyncOp op = pending;
                pending = null;
                op.complete(NtStatus.NOTIFY_CLEANUP, out -> QueryDirectory.encodeResponse(out, Unpooled.EMPTY_BUFFER));
            }
        }
    }

    @Override
    public void handle(Request req, ByteBuf out) throws IOException {
        var r = ChangeNotify.Request.decode(req.message);
        Open open = req.open(r.fileId());
        if (!open.directory || open.tree.vfs() == null) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "not a directory");
        }
        if (r.outputBufferLength() > ServerContext.MAX_IO_SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "output buffer too large");
        }
        Path local = open.tree.vfs().localPath(open.path)
            .orElseThrow(() -> new NtStatusException(NtStatus.NOT_SUPPORTED, "no local directory to watch"));
        Watch watch;
        synchronized (open) {
            if (open.watch == null) {
                open.watch = new Watch(r.completionFilter());
                open.watch.subscription = req.server().watcher().watch(local,
                    (r.flags() & ChangeNotify.WATCH_TREE) != 0, open.watch);
            }
            watch = open.watch;
        }
        synchronized (watch) {
            if (watch.pending != null) {
                throw new NtStatusException(NtStatus.INVALID_PARAMETER, "a notify is already pending");
            }
            AsyncOp op = req.goAsync(() -> {
                synchronized (watch) {
                    watch.pending = null;
                }
            });
            if (!watch.changes.isEmpty() || watch.overflow) {
                watch.deliver(op, r.outputBufferLength()); // answered right after the interim response
            } else {
                watch.pending = op;
                watch.pendingLimit = r.outputBufferLength();
            }
        }
    }
}
