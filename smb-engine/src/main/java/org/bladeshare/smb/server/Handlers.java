package org.bladeshare.smb.server;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.vfs.FileStat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/** Helpers the command handlers share. */
final class Handlers {
    private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

    private Handlers() {
    }

    /** Closes an open: its channel, then delete-on-close ([MS-SMB2] 3.3.4.16 via 3.3.5.10). */
    static void closeOpen(SmbConnection conn, Open open) {
        open.session.opens.remove(open.fileId.volatileId());
        if (open.watch != null) {
            conn.server.notifier.unregister(open, open.watch);
            open.watch.cleanup();
        }
        try {
            if (open.channel != null) {
                open.channel.close();
            }
            if (open.fileKey != null) {
                StatePorts state = conn.server.state;
                var released = state.locks().releaseOpen(open.fileKey, open.fileId.persistent());
                completeGrantedLocks(conn.server, released.granted());
                LockHandler.completeDroppedLocks(conn.server, released.dropped());
                // [MS-FSA] 2.1.5.4: the table decides whether this was the last close of a delete-pending file
                var closed = state.shareModes().removeOpen(open.fileKey, open.fileId.persistent());
                boolean delete = closed.deleteFile();
                if (open.directory && !delete && !closed.lastOpen()
                    && state.shareModes().get(open.fileKey).deletePending()) {
                    conn.server.notifier.directoryDeletePending(open.fileKey); // smbtorture smb2.notify.rmdir*
                }
                conn.server.oplocks.openClosed(open); // oplock/lease hook (issue 4): leave the lease, wake parked CREATEs
                if (delete) {
                    open.tree.vfs().delete(open.path);
                } else if (open.written) {
                    conn.server.notifier.report(open.tree.vfs(), org.bladeshare.smb.smb2.ChangeNotify.ACTION_MODIFIED,
                        open.path, ChangeNotifier.WRITTEN);
                }
            }
        } catch (IOException e) {
            LOG.debug("close of {} failed: {}", open.path, e.toString());
        }
    }

    /** Answers the LOCK requests that a release let through ([MS-SMB2] 3.3.5.14.2, async completion). */
    static void completeGrantedLocks(ServerContext server, java.util.List<org.bladeshare.smb.state.LockWaiter> granted) {
        for (var w : granted) {
            var owner = w.lock().owner();
            if (owner.node() != server.state.node()) {
                continue; // another node's waiter: its node answers it
            }
            SmbConnection c = server.connections.get(owner.connectionId());
            AsyncOp op = c == null ? null : c.asyncOps.get(w.lock().asyncId());
            if (op != null) {
                op.complete(org.bladeshare.smb.erref.NtStatus.SUCCESS, LockHandler::encodeResponse);
            }
        }
    }

    /** Closes every open of a tree (TREE_DISCONNECT) or of a session (LOGOFF, tree == null). */
    static void closeOpens(SmbConnection conn, Session session, Tree tree) {
        for (Open o : java.util.List.copyOf(session.opens.values())) {
            if ((tree == null || o.tree == tree)
                && !(tree == null && conn.server.oplocks.durable.preserveOnDisconnect(conn, o))) {
                // issue 4: a logoff keeps durable opens for their timeout; a tree disconnect closes them
                closeOpen(conn, o);
            }
        }
    }

    static FileStat stat(Open open) throws IOException {
        return open.tree.vfs().stat(open.path)
            .orElseThrow(() -> new NtStatusException(NtStatus.FILE_CLOSED, "file vanished"));
    }

    static void requireAccess(Open open, int rights) {
        if ((open.grantedAccess & rights) == 0) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED);
        }
    }

    static void requireWritable(Tree tree) {
        if (tree.readOnly()) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "read-only share");
        }
    }
}
