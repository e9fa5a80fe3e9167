package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.fscc.DirectoryInfo;
import org.bladeshare.smb.fscc.Wildcard;
import org.bladeshare.smb.smb2.QueryDirectory;
import org.bladeshare.smb.vfs.DirEntry;
import org.bladeshare.smb.vfs.FileStat;
import org.bladeshare.smb.vfs.SmbPath;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * SMB2 QUERY_DIRECTORY ([MS-SMB2] 3.3.5.18): a snapshot of the directory taken on the first
 * query (or a restart/reopen), filtered by the pattern, handed out across calls; later calls
 * skip the entries deleted meanwhile.
 */
final class QueryDirectoryHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) throws IOException {
        var r = QueryDirectory.Request.decode(req.message);
        Open open = req.open(r.fileId());
        if (!open.directory) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "not a directory");
        }
        if (!DirectoryInfo.supported(r.infoClass())) {
            throw new NtStatusException(NtStatus.INVALID_INFO_CLASS);
        }
        boolean restart = (r.flags() & (QueryDirectory.RESTART_SCANS | QueryDirectory.REOPEN)) != 0;
        boolean first = open.listing == null || restart;
        if (first) {
            String pattern = r.pattern().isEmpty() ? "*" : r.pattern();
            if (pattern.contains("\\")) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID, "pattern with a path");
            }
            open.pattern = pattern;
            open.listing = snapshot(open, pattern);
            open.cursor = 0;
        }
        if (r.outputBufferLength() > ServerContext.MAX_IO_SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "output buffer too large");
        }
        int limit = (int) r.outputBufferLength();
        boolean single = (r.flags() & QueryDirectory.RETURN_SINGLE_ENTRY) != 0;
        ByteBuf data = out.alloc().buffer(Math.min(limit, 65536));
        try {
            int lastEntry = -1;
            int count = 0;
            while (open.cursor < open.listing.size()) {
                DirEntry e = open.listing.get(open.cursor);
                if (!first && !e.name().equals(".") && !e.name().equals("..")) {
                    // The snapshot may be stale: entries removed since the first query are not
                    // reported, and those still there carry their current attributes.
                    var now = open.tree.vfs().stat(open.path.isEmpty() ? e.name() : open.path + "/" + e.name());
                    if (now.isEmpty()) {
                        open.cursor++;
                        continue;
                    }
                    e = new DirEntry(e.name(), now.get());
                }
                int aligned = (data.writerIndex() + 7) & ~7;
                int size = DirectoryInfo.size(r.infoClass(), e.name());
                if (aligned + size > limit) {
                    if (count == 0) {
                        throw new NtStatusException(NtStatus.INFO_LENGTH_MISMATCH, "buffer too small for one entry");
                    }
                    break;
                }
                if (lastEntry >= 0) {
                    data.writeZero(aligned - data.writerIndex());
                    data.setIntLE(lastEntry, aligned - lastEntry);
                }
                lastEntry = data.writerIndex();
                DirectoryInfo.encode(data, r.infoClass(), e.name(), e.stat(), 0);
                open.cursor++;
                count++;
                if (single) {
                    break;
                }
            }
            if (count == 0) {
                throw new NtStatusException(first && open.listing.isEmpty() ? NtStatus.NO_SUCH_FILE
                    : NtStatus.NO_MORE_FILES);
            }
            QueryDirectory.encodeResponse(out, data);
        } finally {
            data.release();
        }
    }

    private static List<DirEntry> snapshot(Open open, String pattern) throws IOException {
        List<DirEntry> all = new ArrayList<>();
        FileStat self = Handlers.stat(open);
        if (Wildcard.matches(pattern, ".")) {
            all.add(new DirEntry(".", self));
        }
        if (Wildcard.matches(pattern, "..")) {
            FileStat parent = open.path.isEmpty() ? self
                : open.tree.vfs().stat(SmbPath.parent(open.path)).orElse(self);
            all.add(new DirEntry("..", parent));
        }
        boolean literal = !pattern.contains("*") && !pattern.contains("?") && !pattern.contains("<")
            && !pattern.contains(">") && !pattern.contains("\"");
        for (DirEntry e : open.tree.vfs().list(open.path)) {
            if (literal ? e.name().equalsIgnoreCase(pattern) : Wildcard.matches(pattern, e.name())) {
                all.add(e);
            }
        }
        return all;
    }
}
