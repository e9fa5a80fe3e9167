package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.ChangeNotify;
import org.bladeshare.smb.smb2.QueryDirectory;
import org.bladeshare.smb.smb2.Utf16;
import org.bladeshare.smb.state.SessionUsage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * SMB2 CHANGE_NOTIFY ([MS-SMB2] 3.3.5.19): changes are collected per open from the first request
 * on, with the completion filter, WATCH_TREE and buffer size of that first request (Windows and
 * Samba keep them until the open is closed). A request with nothing collected goes asynchronous
 * until a change arrives; several may wait on one open and are answered in order.
 */
final class ChangeNotifyHandler implements CommandHandler {
    private static final int MAX_BUFFERED = 1000;
    /** [MS-FSCC] 2.6 FILE_NOTIFY_CHANGE_* bits a name change (add, remove, rename) matches. */
    static final int NAME_FILTERS = ChangeNotify.FILTER_FILE_NAME | ChangeNotify.FILTER_DIR_NAME;
    /** The bits a modification the file system reports (write, attributes, times) may match. */
    static final int MODIFY_FILTERS = ChangeNotify.FILTER_ATTRIBUTES | ChangeNotify.FILTER_SIZE
        | ChangeNotify.FILTER_LAST_WRITE | 0x20 | 0x40 | 0x80 | 0x100;

    /** One collected change: FILE_NOTIFY_INFORMATION Action and FileName relative to the watched directory. */
    private record Change(int action, String name) {
        int encodedSize() {
            return (12 + Utf16.bytes(name).length + 3) & ~3;
        }
    }

    /** A CHANGE_NOTIFY waiting for changes, and the OutputBufferLength it allows. */
    private record Waiting(AsyncOp op, long limit) {
    }

    /** Per-open notify state: the watch's parameters, buffered changes and the requests waiting for them. */
    static final class Watch implements DirectoryWatcher.Listener {
        final int filter;
        final boolean tree;
        /** The first request's OutputBufferLength: changes beyond it are dropped and NOTIFY_ENUM_DIR answered. */
        final long maxBuffer;
        private final List<Change> changes = new ArrayList<>();
        private long bufferedBytes;
        private boolean overflow;
        private boolean deletePending;
        private final Deque<Waiting> waiting = new ArrayDeque<>();
        DirectoryWatcher.Subscription subscription;
        private final ChangeNotifier notifier;

        Watch(ChangeNotifier notifier, int filter, boolean tree, long maxBuffer) {
            this.notifier = notifier;
            this.filter = filter;
            this.tree = tree;
            this.maxBuffer = maxBuffer;
        }

        /** A change the file system reported (made behind the server's back, or an echo of the engine's). */
        @Override
        public void changed(int action, String relativePath, boolean lost) {
            if (lost) {
                synchronized (this) {
                    overflow = true;
                    answerFirst();
                }
                return;
            }
            DirectoryWatcher.Subscription s = subscription;
            if (s != null && isEcho(s.root.resolve(relativePath))) {
                return; // the engine made (and reported) this change itself
            }
            add(action, relativePath, action == ChangeNotify.ACTION_MODIFIED ? MODIFY_FILTERS : NAME_FILTERS);
        }

        /** Local paths this watch heard about from the engine lately, with when. */
        private final java.util.LinkedHashMap<Path, Long> heard = new java.util.LinkedHashMap<>();
        private static final int MAX_HEARD = 256;
        private static final long ECHO_WINDOW_NANOS = 2_000_000_000L;

        /** The engine reported a change of {@code local} to this watch (whatever the filter made of it). */
        synchronized void heardFromEngine(Path local) {
            if (local == null) {
                return;
            }
            heard.remove(local);
            heard.put(local, System.nanoTime());
            if (heard.size() > MAX_HEARD) {
                heard.remove(heard.keySet().iterator().next());
            }
        }

        private synchronized boolean isEcho(Path local) {
            Long when = heard.get(local);
            return when != null && System.nanoTime() - when < ECHO_WINDOW_NANOS || notifier.isEcho(local);
        }

        /** Collects a change that matches any of {@code filterBits} and answers the first waiting request. */
        synchronized void add(int action, String relativePath, int filterBits) {
            if ((filter & filterBits) == 0) {
                return;
            }
            collect(action, relativePath);
            answerFirst();
        }

        /**
         * Collects a rename, its names together so that one response carries both ([MS-FSCC] 2.7.1):
         * RENAMED_OLD_NAME and RENAMED_NEW_NAME within one directory, else REMOVED and ADDED for the
         * side(s) this watch covers (a null path is outside it). A watch that does not ask for names
         * gets, for a file, a MODIFIED of the new name for its attributes and creation time, as
         * Windows reports (smbtorture smb2.notify.mask-change; smb2.notify.rec shows it is not sent
         * along with the names).
         */
        synchronized void addRename(String oldPath, String newPath, boolean directory) {
            int nameBits = directory ? ChangeNotify.FILTER_DIR_NAME : ChangeNotify.FILTER_FILE_NAME;
            if ((filter & nameBits) != 0) {
                if (oldPath != null && newPath != null && org.bladeshare.smb.vfs.SmbPath.parent(oldPath).equals(org.bladeshare.smb.vfs.SmbPath.parent(newPath))) {
                    collect(ChangeNotify.ACTION_RENAMED_OLD_NAME, oldPath);
                    collect(ChangeNotify.ACTION_RENAMED_NEW_NAME, newPath);
                } else {
                    if (oldPath != null) {
                        collect(ChangeNotify.ACTION_REMOVED, oldPath);
                    }
                    if (newPath != null) {
                        collect(ChangeNotify.ACTION_ADDED, newPath);
                    }
                }
            } else if (!directory && newPath != null
                && (filter & (ChangeNotify.FILTER_ATTRIBUTES | ChangeNotify.FILTER_CREATION)) != 0) {
                collect(ChangeNotify.ACTION_MODIFIED, newPath);
            } else {
                return;
            }
            answerFirst();
        }

        private void collect(int action, String relativePath) {
            Change c = new Change(action, relativePath.replace('/', '\\'));
            if (action == ChangeNotify.ACTION_MODIFIED && !changes.isEmpty() && changes.getLast().equals(c)) {
                return; // one write or attribute change often reaches us as several file-system events
            }
            if (overflow || changes.size() >= MAX_BUFFERED || bufferedBytes + c.encodedSize() > maxBuffer) {
                overflow = true; // [MS-SMB2] 3.3.5.19: too much to return: the client must enumerate
                changes.clear();
                bufferedBytes = 0;
            } else {
                changes.add(c);
                bufferedBytes += c.encodedSize();
            }
        }

        private void answerFirst() {
            Waiting w = waiting.pollFirst();
            if (w != null) {
                deliver(w.op(), w.limit());
            }
        }

        /** Completes {@code op} with what has been collected (caller holds the lock). */
        private void deliver(AsyncOp op, long limit) {
            ByteBuf data = overflow ? null : encode(limit);
            changes.clear();
            bufferedBytes = 0;
            overflow = false;
            if (data == null) {
                op.complete(NtStatus.NOTIFY_ENUM_DIR, out -> QueryDirectory.encodeResponse(out, Unpooled.EMPTY_BUFFER));
            } else {
                op.complete(NtStatus.SUCCESS, out -> QueryDirectory.encodeResponse(out, data));
            }
        }

        /** FILE_NOTIFY_INFORMATION entries ([MS-FSCC] 2.7.1), or null when they do not fit. */
        private ByteBuf encode(long limit) {
            ByteBuf b = org.bladeshare.smb.smb2.HeapBuffers.scratch();
            int last = -1;
            for (Change c : changes) {
                int aligned = (b.writerIndex() + 3) & ~3;
                byte[] name = Utf16.bytes(c.name());
                if (aligned + 12 + name.length > limit) {
                    return null;
                }
                b.writeZero(aligned - b.writerIndex());
                if (last >= 0) {
                    b.setIntLE(last, aligned - last);
                }
                last = b.writerIndex();
                b.writeIntLE(0);
                b.writeIntLE(c.action());
                b.writeIntLE(name.length);
                b.writeBytes(name);
            }
            return b;
        }

        /** Takes a new request: answered now when changes are waiting, else queued. */
        synchronized void request(AsyncOp op, long limit) {
            if (op.isDone()) {
                return; // cancelled before it was queued
            }
            if (deletePending) {
                op.complete(NtStatus.DELETE_PENDING, out -> QueryDirectory.encodeResponse(out, Unpooled.EMPTY_BUFFER));
                return;
            }
            if (waiting.isEmpty() && (!changes.isEmpty() || overflow)) {
                deliver(op, limit); // answered right after the interim response
            } else {
                waiting.addLast(new Waiting(op, limit));
            }
        }

        synchronized boolean isDeletePending() {
            return deletePending;
        }

        private synchronized void withdraw(AsyncOp op) {
            waiting.removeIf(w -> w.op() == op);
        }

        /** Answers every waiting request with {@code status} (and an empty body). */
        private synchronized void answerAll(int status) {
            for (Waiting w; (w = waiting.pollFirst()) != null; ) {
                w.op().complete(status, out -> QueryDirectory.encodeResponse(out, Unpooled.EMPTY_BUFFER));
            }
        }

        /**
         * The watched directory became delete-pending: waiting requests, and later ones, fail with
         * STATUS_DELETE_PENDING (as Windows and Samba answer; smbtorture smb2.notify.rmdir1-4).
         */
        void directoryDeletePending() {
            synchronized (this) {
                deletePending = true;
            }
            answerAll(NtStatus.DELETE_PENDING);
        }

        /** The open is closed ([MS-SMB2] 3.3.4.16 via 3.3.5.10): waiting requests get NOTIFY_CLEANUP. */
        void cleanup() {
            synchronized (this) {
                if (subscription != null) {
                    subscription.close();
                }
            }
            answerAll(NtStatus.NOTIFY_CLEANUP);
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
        // [MS-SMB2] 3.3.5.19 / [MS-FSA] 2.1.5.10: watching needs FILE_LIST_DIRECTORY on the open
        Handlers.requireAccess(open, AccessMask.FILE_READ_DATA);
        Path local = open.tree.vfs().localPath(open.path)
            .orElseThrow(() -> new NtStatusException(NtStatus.NOT_SUPPORTED, "no local directory to watch"));
        ServerContext server = req.server();
        Watch watch;
        synchronized (open) {
            if (open.watch == null) {
                Watch w = new Watch(server.notifier, r.completionFilter(), (r.flags() & ChangeNotify.WATCH_TREE) != 0,
                    r.outputBufferLength());
                // the engine's events first: a change another connection makes right after this request
                // must not slip in while the (slower) file-system watch is set up
                server.notifier.register(open, w);
                try {
                    w.subscription = server.watcher().watch(local, w.tree, w);
                } catch (IOException | RuntimeException e) {
                    server.notifier.unregister(open, w);
                    throw e;
                }
                open.watch = w;
            }
            watch = open.watch;
        }
        // checked after the watch is registered: a close that makes the directory delete-pending
        // either sees the watch or is seen here (the other open may be on another connection)
        if (watch.isDeletePending() || open.fileKey != null
            && server.state.shareModes().get(open.fileKey).deletePending()) {
            throw new NtStatusException(NtStatus.DELETE_PENDING, "the directory is being deleted");
        }
        // issue 4: a session may keep only so many notifies waiting
        SessionUsage usage = req.session.usage(server.state.limits());
        int taken = usage.tryAcquire(SessionUsage.Resource.PENDING_NOTIFIES);
        if (taken != NtStatus.SUCCESS) {
            throw new NtStatusException(taken, "too many pending change notifies in this session");
        }
        AsyncOp[] self = new AsyncOp[1];
        AsyncOp op = req.goAsync(() -> watch.withdraw(self[0]));
        self[0] = op;
        op.whenDone(() -> usage.release(SessionUsage.Resource.PENDING_NOTIFIES));
        watch.request(op, r.outputBufferLength());
    }
}
