package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.fscc.FileAttributes;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.rpc.PipeEndpoint;
import org.bladeshare.smb.state.FileKey;
import org.bladeshare.smb.state.OpenEntry;
import org.bladeshare.smb.state.OpenOwner;
import org.bladeshare.smb.state.OpenResult;
import org.bladeshare.smb.state.ShareAccess;
import org.bladeshare.smb.vfs.FileStat;
import org.bladeshare.smb.vfs.SmbPath;
import org.bladeshare.smb.vfs.Vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SMB2 CREATE ([MS-SMB2] 3.3.5.9): every disposition, directory/non-directory options, delete-on-close. */
final class CreateHandler implements CommandHandler {

    @Override
    public void handle(Request req, ByteBuf out) throws IOException {
        var r = Create.Request.decode(req.message);
        // --- oplock hook (issue 4): a CREATE waiting for an oplock break is answered later ---
        if (!req.tree.isPipe() && DurableOpens.isReconnect(r)) {
            req.server().oplocks.durable.reconnect(req, r, out); // durable reconnect (DHnC / DH2C)
            return;
        }
        try (var serving = OplockCoordinator.serving(req.connection)) {
            createOrRetry(req, r, out);
        } catch (OplockCoordinator.BreakPending pending) {
            out.writerIndex(org.bladeshare.smb.smb2.Smb2Header.SIZE);
            req.server().oplocks.parkCreate(req, r, pending.file, this::createOrRetry);
        }
        // --- end oplock hook ---
    }

    private void createOrRetry(Request req, Create.Request r, ByteBuf out) throws IOException {
        try {
            create(req, r, out);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            if (r.disposition() == Create.CREATE) {
                throw raced;
            }
            // another opener created it between our look and our create: open it as existing
            out.writerIndex(org.bladeshare.smb.smb2.Smb2Header.SIZE);
            create(req, r, out);
        }
    }

    private void create(Request req, Create.Request r, ByteBuf out) throws IOException {
        if (Integer.compareUnsigned(r.impersonation(), Create.IMPERSONATION_DELEGATE) > 0) {
            throw new NtStatusException(NtStatus.BAD_IMPERSONATION_LEVEL); // [MS-SMB2] 3.3.5.9
        }
        Tree tree = req.tree;
        if (tree.isPipe()) {
            openPipe(req, r, out);
            return;
        }
        if (r.name().equalsIgnoreCase(QUOTA_FAKE_FILE)) {
            openQuotaFakeFile(req, r, out);
            return;
        }
        // issue 4: a session may hold only so many opens, so one client cannot exhaust the server
        if (req.session.opens.size() >= req.server().state.limits().maxOpens()) {
            throw new NtStatusException(NtStatus.INSUFFICIENT_RESOURCES, "too many open files in this session");
        }
        // lease hook (issue 4): the lease a RqLs context asks for enters the share-mode entry
        org.bladeshare.smb.state.LeaseKey leaseKey = OplockCoordinator.leaseKeyFor(req.connection, r);
        req.server().oplocks.durable.checkReplay(req, r); // durable v2 hook (issue 4)
        if (r.disposition() < Create.SUPERSEDE || r.disposition() > Create.OVERWRITE_IF) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "bad disposition");
        }
        boolean wantDir = (r.options() & Create.OPT_DIRECTORY_FILE) != 0;
        boolean wantFile = (r.options() & Create.OPT_NON_DIRECTORY_FILE) != 0;
        if (wantDir && wantFile) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "directory and non-directory");
        }
        Vfs vfs = tree.vfs();
        String path = SmbPath.normalize(r.name());
        path = vfs.resolveCase(path).orElse(caseFoldParent(vfs, path));
        int maximal = tree.readOnly() ? AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_EXECUTE
            : AccessMask.FILE_ALL_ACCESS;
        int access = AccessMask.map(r.desiredAccess(), maximal);
        if (tree.readOnly() && (access & AccessMask.WRITE_RIGHTS) != 0 && (r.desiredAccess()
            & AccessMask.MAXIMUM_ALLOWED) == 0) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "read-only share");
        }
        boolean deleteOnClose = (r.options() & Create.OPT_DELETE_ON_CLOSE) != 0;
        if (deleteOnClose) {
            if ((access & AccessMask.DELETE) == 0) {
                throw new NtStatusException(NtStatus.ACCESS_DENIED, "delete-on-close without DELETE access");
            }
            Handlers.requireWritable(tree);
        }
        Optional<FileStat> existing = vfs.stat(path);
        // lease hook (issue 4): a lease key covers one file ([MS-SMB2] 3.3.5.9.8)
        req.server().oplocks.checkLeaseKey(leaseKey, existing.map(s -> new FileKey(s.device(), s.fileId())).orElse(null));
        int action;
        long persistentId = 0;
        FileKey fileKey = null;
        OpenOwner owner = null;
        boolean registered = false;
        FileChannel channel = null;
        boolean isDir;
        try {
        if (existing.isPresent()) {
            FileStat st = existing.get();
            isDir = st.directory();
            if (wantDir && !isDir) {
                throw new NtStatusException(NtStatus.NOT_A_DIRECTORY);
            }
            if (wantFile && isDir) {
                throw new NtStatusException(NtStatus.FILE_IS_A_DIRECTORY);
            }
            switch (r.disposition()) {
                case Create.CREATE -> throw new NtStatusException(NtStatus.OBJECT_NAME_COLLISION);
                case Create.OPEN, Create.OPEN_IF -> action = Create.ACTION_OPENED;
                case Create.OVERWRITE, Create.OVERWRITE_IF -> action = Create.ACTION_OVERWRITTEN;
                default -> action = Create.ACTION_SUPERSEDED;
            }
            if (deleteOnClose && (st.dosAttributes() & FileAttributes.READONLY) != 0) {
                throw new NtStatusException(NtStatus.CANNOT_DELETE, "delete-on-close of a read-only file");
            }
            if (action != Create.ACTION_OPENED) {
                if (isDir) {
                    throw new NtStatusException(NtStatus.INVALID_PARAMETER, "cannot overwrite a directory");
                }
                Handlers.requireWritable(tree);
                if ((st.dosAttributes() & FileAttributes.READONLY) != 0) {
                    throw new NtStatusException(NtStatus.ACCESS_DENIED, "read-only file");
                }
            }
            persistentId = req.server().newPersistentId();
            fileKey = new FileKey(st.device(), st.fileId());
            owner = new OpenOwner(req.server().state.node(), req.connection.id, req.session.id, persistentId);
            // oplock hook (issue 4): break other opens' oplocks first ([MS-SMB2] 3.3.5.9); may throw BreakPending
            req.server().oplocks.breakBeforeOpen(fileKey, access, r.shareAccess(), action != Create.ACTION_OPENED,
                deleteOnClose, leaseKey);
            registerOpen(req, fileKey, owner, access, r.shareAccess(), leaseKey);
            registered = true;
            if (!isDir) {
                boolean write = (access & (AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA)) != 0
                    && !tree.readOnly();
                channel = vfs.open(path, write, false, false, action != Create.ACTION_OPENED);
                if (action != Create.ACTION_OPENED) {
                    // [MS-FSA] 2.1.5.1.2.1: an overwritten file takes the asked attributes plus ARCHIVE
                    // (NORMAL alone asks for none; smbtorture smb2.lease.breaking2 expects ARCHIVE);
                    // part of the reported overwrite, not a change of its own
                    NotifyingVfs.quiet(vfs).setBasicInfo(path, 0, 0, 0, (r.fileAttributes() & FileAttributes.SETTABLE)
                        | FileAttributes.ARCHIVE);
                }
            }
        } else {
            if (r.disposition() == Create.OPEN || r.disposition() == Create.OVERWRITE) {
                String parent = SmbPath.parent(path);
                if (!parent.isEmpty() && vfs.stat(parent).filter(FileStat::directory).isEmpty()) {
                    throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND);
                }
                throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND);
            }
            Handlers.requireWritable(tree);
            if (path.isEmpty()) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID);
            }
            if (deleteOnClose && (r.fileAttributes() & FileAttributes.READONLY) != 0) {
                // [MS-FSA] 2.1.5.1.2.1: a new read-only file cannot be deleted on close
                throw new NtStatusException(NtStatus.CANNOT_DELETE, "delete-on-close of a new read-only file");
            }
            String parent = SmbPath.parent(path);
            if (vfs.stat(parent).filter(FileStat::directory).isEmpty()) {
                throw new NtStatusException(NtStatus.OBJECT_PATH_NOT_FOUND);
            }
            isDir = wantDir;
            if (isDir) {
                vfs.createDirectory(path);
            } else {
                channel = vfs.open(path, true, true, true, false);
            }
            int attrs = r.fileAttributes() & FileAttributes.SETTABLE;
            if (attrs != 0 && !isDir) {
                attrs |= FileAttributes.ARCHIVE; // a new file is always marked for archiving, as on overwrite
            }
            if (attrs != 0) {
                NotifyingVfs.quiet(vfs).setBasicInfo(path, 0, 0, 0, attrs); // part of the reported create
            }
            action = Create.ACTION_CREATED;
        }
        if (action != Create.ACTION_OPENED) {
            applyExtendedAttributes(NotifyingVfs.quiet(vfs), path, r.contexts()); // ExtA, [MS-SMB2] 2.2.13.2.1
        }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (registered) {
                req.server().state.shareModes().removeOpen(fileKey, persistentId);
            }
            throw e;
        }
        FileStat st = vfs.stat(path).orElseThrow(() -> new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND));
        if (!registered) {
            // a new file: nobody else can have it open yet, but it enters the table like any open
            persistentId = req.server().newPersistentId();
            fileKey = new FileKey(st.device(), st.fileId());
            owner = new OpenOwner(req.server().state.node(), req.connection.id, req.session.id, persistentId);
            try {
                registerOpen(req, fileKey, owner, access, r.shareAccess(), leaseKey);
            } catch (NtStatusException e) {
                closeQuietly(channel);
                throw e;
            }
        }
        if (deleteOnClose) {
            req.server().state.shareModes().setDeleteOnClose(fileKey, persistentId, true);
        }
        long vid = req.connection.newVolatileId();
        FileId id = new FileId(persistentId, vid);
        Open open = new Open(id, req.session, tree, path, isDir, channel, access, null);
        open.fileKey = fileKey;
        open.owner = owner;
        open.deleteOnClose = deleteOnClose;
        req.connection.opens.put(vid, open);
        req.chain.fileId = id;
        var caching = req.server().oplocks.grant(req, open, r); // oplock/lease hook (issue 4)
        if (action != Create.ACTION_OPENED) {
            // directory leases (issue 4): a new or rewritten entry changes its directory's listing
            req.server().oplocks.breakParentLeases(vfs, path, OplockCoordinator.parentLeaseKeyFor(req.connection, r));
        }
        caching = caching.with(req.server().oplocks.durable.grant(req, open, r, caching.oplockLevel())); // durable
        new Create.Response(caching.oplockLevel(), 0, action, st.creationTime(), st.lastAccessTime(), st.lastWriteTime(),
            st.changeTime(), st.allocationSize(), st.size(), st.wireAttributes(), id,
            caching.plus(contextAnswers(r.contexts(), st, access))).encode(out);
    }

    /** [MS-FSA] 2.1.5.1.2 share-mode check through the share-mode table; throws its status on refusal. */
    private static void registerOpen(Request req, FileKey key, OpenOwner owner, int access, int shareAccess,
                                     org.bladeshare.smb.state.LeaseKey lease) {
        OpenEntry entry = OpenEntry.of(owner, access, shareAccess & ShareAccess.ALL);
        OpenResult result = req.server().state.shareModes().tryAddOpen(key,
            lease == null ? entry : entry.withLease(lease)); // lease hook (issue 4)
        if (!result.granted()) {
            throw new NtStatusException(result.status());
        }
    }

    /** The extended attributes a new or overwritten file is created with (create context ExtA). */
    private static void applyExtendedAttributes(Vfs vfs, String path, List<Create.Context> contexts)
        throws IOException {
        for (Create.Context c : contexts) {
            if (c.name().equals("ExtA")) {
                SetInfoHandler.setExtendedAttributes(vfs, path, org.bladeshare.smb.fscc.FullEaInfo.decode(
                    io.netty.buffer.Unpooled.wrappedBuffer(c.data())));
            }
        }
    }

    /** When the leaf does not exist, still match the parent directories case-insensitively. */
    private static String caseFoldParent(Vfs vfs, String path) {
        String parent = SmbPath.parent(path);
        if (parent.isEmpty()) {
            return path;
        }
        try {
            return vfs.resolveCase(parent).map(p -> p + "/" + SmbPath.leaf(path)).orElse(path);
        } catch (IOException e) {
            return path;
        }
    }

    /** Answers the create contexts we understand: MxAc ([MS-SMB2] 2.2.14.2.5) and QFid (2.2.14.2.9). */
    private static List<Create.Context> contextAnswers(List<Create.Context> asked, FileStat st, int access) {
        List<Create.Context> out = new ArrayList<>();
        for (Create.Context c : asked) {
            switch (c.name()) {
                case "MxAc" -> out.add(new Create.Context("MxAc", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0).putInt(access | AccessMask.FILE_GENERIC_READ).array()));
                case "QFid" -> out.add(new Create.Context("QFid", ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(st.fileId()).putLong(0).array()));
                default -> { }
            }
        }
        return out;
    }

    /** The NTFS quota file Windows opens for a share's quota tab; there is no such file on disk. */
    static final String QUOTA_FAKE_FILE = "$Extend\\$Quota:$Q:$INDEX_ALLOCATION";

    /**
     * Opens the quota pseudo-file as Windows and Samba present it: a hidden system directory with
     * no timestamps. The handle can be closed; file operations on it find nothing.
     */
    private void openQuotaFakeFile(Request req, Create.Request r, ByteBuf out) {
        if (r.disposition() != Create.OPEN && r.disposition() != Create.OPEN_IF) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "the quota file cannot be created");
        }
        long vid = req.connection.newVolatileId();
        FileId id = new FileId(req.server().newPersistentId(), vid);
        Open open = new Open(id, req.session, req.tree, "$Extend/$Quota", true, null,
            AccessMask.map(r.desiredAccess(), AccessMask.FILE_GENERIC_READ), null);
        req.connection.opens.put(vid, open);
        req.chain.fileId = id;
        int attrs = FileAttributes.HIDDEN | FileAttributes.SYSTEM | FileAttributes.DIRECTORY | FileAttributes.ARCHIVE;
        new Create.Response(0, 0, Create.ACTION_OPENED, 0, 0, 0, 0, 0, 0, attrs, id, List.of()).encode(out);
    }

    private void openPipe(Request req, Create.Request r, ByteBuf out) {
        PipeEndpoint endpoint = Pipes.open(req, r.name());
        long vid = req.connection.newVolatileId();
        FileId id = new FileId(vid, vid);
        Open open = new Open(id, req.session, req.tree, r.name(), false, null,
            AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE, endpoint);
        req.connection.opens.put(vid, open);
        req.chain.fileId = id;
        new Create.Response(0, 0, Create.ACTION_OPENED, 0, 0, 0, 0, 4096, 0, FileAttributes.NORMAL, id, List.of())
            .encode(out);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
