package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.fscc.FileAttributes;
import org.bladeshare.smb.fscc.InfoClass;
import org.bladeshare.smb.smb2.QueryInfo;
import org.bladeshare.smb.smb2.SetInfo;
import org.bladeshare.smb.smb2.Utf16;
import org.bladeshare.smb.vfs.FileStat;
import org.bladeshare.smb.vfs.SmbPath;
import org.bladeshare.smb.vfs.Vfs;

import java.io.IOException;
import java.nio.ByteBuffer;

/** SMB2 SET_INFO ([MS-SMB2] 3.3.5.21): times and attributes, size, rename, delete-on-close. */
final class SetInfoHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) throws IOException {
        var r = SetInfo.Request.decode(req.message);
        Open open = req.open(r.fileId());
        try (var serving = OplockCoordinator.serving(req.connection)) {
            setInfo(req, open, r, out);
        } catch (OplockCoordinator.BreakPending pending) {
            // a rename waits for other leases to give up handle caching (issue 4)
            out.writerIndex(org.bladeshare.smb.smb2.Smb2Header.SIZE);
            req.server().oplocks.parkRequest(req, pending.file, o -> {
                if (req.connection.opens.get(open.fileId.volatileId()) != open) {
                    throw new NtStatusException(NtStatus.FILE_CLOSED, "closed while the rename waited");
                }
                setInfo(req, open, r, o);
            });
        }
    }

    private static void setInfo(Request req, Open open, SetInfo.Request r, ByteBuf out) throws IOException {
        if (open.pipe != null) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED);
        }
        switch (r.infoType()) {
            case QueryInfo.INFO_FILE -> setFileInfo(req, open, r);
            case QueryInfo.INFO_SECURITY -> {
                // No per-file ACLs yet: accepted so that copy tools which set security keep working.
                Handlers.requireWritable(open.tree);
            }
            default -> throw new NtStatusException(NtStatus.NOT_SUPPORTED, "info type " + r.infoType());
        }
        SetInfo.encodeResponse(out);
    }

    private static void setFileInfo(Request req, Open open, SetInfo.Request r) throws IOException {
        ByteBuf b = Unpooled.wrappedBuffer(r.buffer());
        Vfs vfs = open.tree.vfs();
        switch (r.infoClass()) {
            case InfoClass.FILE_BASIC_INFORMATION -> {
                need(b, 36);
                Handlers.requireWritable(open.tree);
                Handlers.requireAccess(open, AccessMask.FILE_WRITE_ATTRIBUTES);
                long created = b.readLongLE();
                long accessed = b.readLongLE();
                long written = b.readLongLE();
                b.readLongLE(); // ChangeTime: kept by the file system
                int attrs = b.readIntLE();
                if (open.directory && (attrs & FileAttributes.TEMPORARY) != 0) {
                    // [MS-FSA] 2.1.5.14.2: a directory cannot be temporary
                    throw new NtStatusException(NtStatus.INVALID_PARAMETER, "temporary attribute on a directory");
                }
                if (open.directory) {
                    attrs &= ~FileAttributes.DIRECTORY;
                } else if ((attrs & FileAttributes.DIRECTORY) != 0) {
                    throw new NtStatusException(NtStatus.INVALID_PARAMETER, "directory bit on a file");
                }
                vfs.setBasicInfo(open.path, created, accessed, written, attrs == 0 ? -1 : attrs);
                req.server().oplocks.entryChanged(open, open.path); // directory leases (issue 4)
            }
            case InfoClass.FILE_END_OF_FILE_INFORMATION, InfoClass.FILE_ALLOCATION_INFORMATION -> {
                need(b, 8);
                Handlers.requireWritable(open.tree);
                Handlers.requireAccess(open, AccessMask.FILE_WRITE_DATA);
                if (open.channel == null) {
                    throw new NtStatusException(NtStatus.INVALID_PARAMETER, "not a file");
                }
                long size = b.readLongLE();
                if (size < 0) {
                    throw new NtStatusException(NtStatus.INVALID_PARAMETER, "negative size");
                }
                long current = open.channel.size();
                // [MS-FSA] 2.1.5.14.4 and .2: changing the size breaks level II oplocks like a write
                req.server().oplocks.breakLevelTwoForWrite(open);
                if (size < current) {
                    open.channel.truncate(size);
                } else if (size > current && r.infoClass() == InfoClass.FILE_END_OF_FILE_INFORMATION) {
                    open.channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
                }
                req.server().oplocks.entryChanged(open, open.path); // directory leases (issue 4)
            }
            case InfoClass.FILE_DISPOSITION_INFORMATION -> {
                need(b, 1);
                setDeletePending(req, open, b.readByte() != 0);
            }
            case InfoClass.FILE_DISPOSITION_INFORMATION_EX -> {
                need(b, 4);
                setDeletePending(req, open, (b.readIntLE() & 0x1) != 0);
            }
            case InfoClass.FILE_RENAME_INFORMATION -> rename(req, open, b);
            case InfoClass.FILE_POSITION_INFORMATION -> {
                need(b, 8);
                long position = b.readLongLE();
                if (position < 0) {
                    throw new NtStatusException(NtStatus.INVALID_PARAMETER, "negative position");
                }
                open.position = position;
            }
            case InfoClass.FILE_MODE_INFORMATION -> {
                // per-handle mode bits the engine does not use
            }
            case InfoClass.FILE_FULL_EA_INFORMATION -> {
                Handlers.requireWritable(open.tree);
                Handlers.requireAccess(open, AccessMask.FILE_WRITE_EA);
                setExtendedAttributes(vfs, open.path, org.bladeshare.smb.fscc.FullEaInfo.decode(b));
            }
            default -> throw new NtStatusException(NtStatus.INVALID_INFO_CLASS);
        }
    }

    /** Writes extended attributes ([MS-FSCC] 2.4.15); a file system without xattrs refuses them. */
    static void setExtendedAttributes(Vfs vfs, String path, java.util.List<org.bladeshare.smb.fscc.FullEaInfo.Ea> eas)
        throws IOException {
        for (var ea : eas) {
            try {
                vfs.setExtendedAttribute(path, ea.name(), ea.value());
            } catch (UnsupportedOperationException e) {
                throw new NtStatusException(NtStatus.EAS_NOT_SUPPORTED, e.getMessage());
            }
        }
    }

    private static void setDeletePending(Request req, Open open, boolean pending) throws IOException {
        Handlers.requireWritable(open.tree);
        Handlers.requireAccess(open, AccessMask.DELETE);
        if (pending) {
            if (open.path.isEmpty()) {
                throw new NtStatusException(NtStatus.CANNOT_DELETE, "share root");
            }
            FileStat st = Handlers.stat(open);
            if ((st.dosAttributes() & FileAttributes.READONLY) != 0) {
                throw new NtStatusException(NtStatus.CANNOT_DELETE, "read-only file");
            }
            if (open.directory && !open.tree.vfs().list(open.path).isEmpty()) {
                throw new NtStatusException(NtStatus.DIRECTORY_NOT_EMPTY);
            }
        }
        int status = open.fileKey == null ? NtStatus.SUCCESS
            : req.server().state.shareModes().setDeletePending(open.fileKey, open.fileId.persistent(), pending);
        if (status != NtStatus.SUCCESS) {
            throw new NtStatusException(status);
        }
        open.deleteOnClose = pending;
    }

    /** FILE_RENAME_INFORMATION_TYPE_2 ([MS-FSCC] 2.4.37.2): the new name is relative to the share root. */
    private static void rename(Request req, Open open, ByteBuf b) throws IOException {
        need(b, 20);
        Handlers.requireWritable(open.tree);
        Handlers.requireAccess(open, AccessMask.DELETE);
        boolean replace = b.readByte() != 0;
        b.skipBytes(7);
        b.skipBytes(8); // RootDirectory: must be zero for network renames
        long len = b.readUnsignedIntLE();
        if (len > b.readableBytes()) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "rename name overruns the buffer");
        }
        String name = Utf16.read(b, b.readerIndex(), (int) len);
        while (name.startsWith("\\")) {
            name = name.substring(1);
        }
        if (open.path.isEmpty()) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "cannot rename the share root");
        }
        Vfs vfs = open.tree.vfs();
        String target = SmbPath.normalize(name);
        String parent = SmbPath.parent(target);
        parent = vfs.resolveCase(parent).orElseThrow(() -> new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND));
        req.server().oplocks.breakHandleLeasesForRename(open); // may park the rename (issue 4)
        refuseWhenParentOpenForDelete(req, vfs, parent);
        target = parent.isEmpty() ? SmbPath.leaf(target) : parent + "/" + SmbPath.leaf(target);
        if (target.equals(open.path)) {
            return;
        }
        var existing = vfs.stat(target);
        boolean caseOnly = target.equalsIgnoreCase(open.path);
        if (existing.isPresent() && !caseOnly) {
            if (!replace) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION);
            }
            if (existing.get().directory()) {
                throw new NtStatusException(NtStatus.ACCESS_DENIED, "cannot replace a directory");
            }
        }
        vfs.rename(open.path, target, replace || caseOnly);
        String old = open.path;
        open.path = target;
        req.server().oplocks.entryChanged(open, old); // directory leases (issue 4): both listings changed
        req.server().oplocks.entryChanged(open, target);
        if (open.directory) {
            // opens below the renamed directory follow it
            for (Open o : req.connection.opens.values()) {
                if (o.tree == open.tree && o.path.startsWith(old + "/")) {
                    o.path = target + o.path.substring(old.length());
                }
            }
        }
    }

    /**
     * A rename into a directory that some open holds with DELETE access is a sharing violation, as
     * Windows and Samba answer (smbtorture smb2.oplock.exclusive6, batch19).
     */
    private static void refuseWhenParentOpenForDelete(Request req, Vfs vfs, String parent) throws IOException {
        FileStat dir = vfs.stat(parent).orElse(null);
        if (dir == null) {
            return;
        }
        var key = new org.bladeshare.smb.state.FileKey(dir.device(), dir.fileId());
        if (req.server().state.shareModes().get(key).opens().stream()
            .anyMatch(o -> (o.access() & AccessMask.DELETE) != 0)) {
            throw new NtStatusException(NtStatus.SHARING_VIOLATION, "target directory is open for delete");
        }
    }

    private static void need(ByteBuf b, int n) {
        if (b.readableBytes() < n) {
            throw new NtStatusException(NtStatus.INFO_LENGTH_MISMATCH);
        }
    }
}
