package org.bladeshare.smb.vfs;

import org.bladeshare.smb.dtyp.FileTime;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.fscc.FileAttributes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link Vfs} over a local directory with java.nio. DOS attributes live in the extended attribute
 * {@code user.DOSATTRIB.bladeshare} when the file system has them. Symbolic links are followed only
 * while they stay inside the root.
 */
public final class PosixVfs implements Vfs {
    private static final String XATTR = "DOSATTRIB.bladeshare";
    private static final int MAX_LIST = 1_000_000;
    private static final FileSystemProvider PROVIDER = FileSystems.getDefault().provider();
    private final Path root;
    private final Path realRoot;
    private final DirectoryNames names = new DirectoryNames();

    public PosixVfs(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = this.root.toRealPath();
    }

    /** The local path for a share-relative path, refusing anything that leads outside the root. */
    Path resolve(String path) throws IOException {
        if (path.isEmpty()) {
            return root;
        }
        Path p = root.resolve(path).normalize();
        if (!p.startsWith(root)) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "path leaves the share");
        }
        // One lstat per component below the root: while none is a link the path stays inside the
        // root, which saves the realpath walk (a readlink per component from "/") on every call.
        Path at = root;
        for (Path name : root.relativize(p)) {
            at = at.resolve(name);
            BasicFileAttributes a = PROVIDER.readAttributesIfExists(at, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
            if (a == null) {
                break; // nothing below a missing component exists
            }
            if (a.isSymbolicLink()) {
                checkLinksStayInside(p);
                break;
            }
        }
        return p;
    }

    /** The deepest existing ancestor of {@code p} (or {@code p} itself) must resolve inside the real root. */
    private void checkLinksStayInside(Path p) throws IOException {
        Path probe = p;
        for (int guard = 0; probe != null && guard < 4096; guard++) {
            if (Files.exists(probe, LinkOption.NOFOLLOW_LINKS)) {
                Path real;
                try {
                    real = probe.toRealPath();
                } catch (NoSuchFileException dangling) {
                    throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, "dangling link");
                }
                if (!real.startsWith(realRoot)) {
                    throw new NtStatusException(NtStatus.ACCESS_DENIED, "link leads outside the share");
                }
                return;
            }
            probe = probe.getParent();
        }
    }

    @Override
    public Optional<FileStat> stat(String path) throws IOException {
        Path p = resolve(path);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        return Optional.of(statOf(p));
    }

    private FileStat statOf(Path p) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, "unix:size,lastModifiedTime,lastAccessTime,creationTime,ctime,ino,dev,nlink,"
                + "isDirectory,mode");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            a = Files.readAttributes(p, "basic:*");
        }
        boolean dir = Boolean.TRUE.equals(a.get("isDirectory"));
        long size = dir ? 0 : (Long) a.get("size");
        var mtime = (java.nio.file.attribute.FileTime) a.get("lastModifiedTime");
        var atime = (java.nio.file.attribute.FileTime) a.get("lastAccessTime");
        var btime = (java.nio.file.attribute.FileTime) a.get("creationTime");
        var ctime = (java.nio.file.attribute.FileTime) a.getOrDefault("ctime", mtime);
        long ino = a.get("ino") instanceof Long l ? l : p.hashCode();
        long dev = a.get("dev") instanceof Long d ? d : 0;
        int nlink = a.get("nlink") instanceof Integer n ? n : 1;
        int mode = a.get("mode") instanceof Integer m ? m : 0644;
        // Reading a FIFO's (or device's) xattrs opens it, and opening a FIFO waits for a writer:
        // such entries get attributes derived from their mode, as on a file system without xattrs.
        int type = mode & 0170000; // S_IFMT: absent (0) where only basic attributes were read
        boolean special = type != 0 && type != 0100000 && !dir;
        long[] stored = special ? null : readStored(p);
        int attrs = stored == null ? -1 : (int) stored[0];
        if (stored != null && stored[1] != 0) {
            btime = java.nio.file.attribute.FileTime.from(FileTime.toInstant(stored[1]));
        }
        if (attrs < 0) {
            attrs = dir ? 0 : FileAttributes.ARCHIVE;
            if ((mode & 0200) == 0) {
                attrs |= FileAttributes.READONLY;
            }
        }
        attrs &= ~FileAttributes.DIRECTORY;
        if (dir) {
            attrs |= FileAttributes.DIRECTORY;
        }
        String leaf = p.getFileName() == null ? "" : p.getFileName().toString();
        if (leaf.startsWith(".") && !p.equals(root)) {
            attrs |= FileAttributes.HIDDEN;
        }
        long alloc = dir ? 0 : (size + 4095) & ~4095L;
        return new FileStat(dir, size, alloc, FileTime.of(btime), FileTime.of(atime), FileTime.of(mtime),
            FileTime.of(ctime), ino, nlink, attrs, dev);
    }

    /** Prefix of the Linux user xattrs that hold the SMB extended attributes (user.smb.ea.NAME). */
    private static final String EA_PREFIX = "smb.ea.";

    @Override
    public java.util.Map<String, byte[]> extendedAttributes(String path) throws IOException {
        Path p = resolve(path);
        var view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        java.util.Map<String, byte[]> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (view == null) {
            return out;
        }
        try {
            for (String name : view.list()) {
                if (name.startsWith(EA_PREFIX)) {
                    ByteBuffer b = ByteBuffer.allocate(view.size(name));
                    view.read(name, b);
                    out.put(name.substring(EA_PREFIX.length()), b.array());
                }
            }
        } catch (UnsupportedOperationException e) {
            return out;
        }
        return out;
    }

    @Override
    public void setExtendedAttribute(String path, String name, byte[] value) throws IOException {
        Path p = resolve(path);
        var view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new UnsupportedOperationException("no user xattrs on this file system");
        }
        for (String existing : view.list()) {
            if (existing.startsWith(EA_PREFIX) && existing.substring(EA_PREFIX.length()).equalsIgnoreCase(name)) {
                view.delete(existing);
            }
        }
        if (value.length > 0) {
            view.write(EA_PREFIX + name, ByteBuffer.wrap(value));
        }
    }

    /**
     * The extended attribute holds the DOS attributes (4 bytes) and, once a client set it, the
     * creation time (8 bytes, FILETIME) that Linux cannot change; null when absent.
     */
    private static long[] readStored(Path p) {
        try {
            var view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            if (view == null || !view.list().contains(XATTR)) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(16);
            view.read(XATTR, b);
            b.flip().order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() < 4) {
                return null;
            }
            int attrs = b.getInt();
            long created = b.remaining() >= 8 ? b.getLong() : 0;
            return new long[]{attrs, created};
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void writeStored(Path p, int attrs, long created) {
        try {
            var view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            if (view != null) {
                ByteBuffer b = ByteBuffer.allocate(created == 0 ? 4 : 12).order(ByteOrder.LITTLE_ENDIAN).putInt(attrs);
                if (created != 0) {
                    b.putLong(created);
                }
                view.write(XATTR, b.flip());
            }
        } catch (IOException | UnsupportedOperationException e) {
            // file system without user xattrs: attributes stay derived from the mode bits
        }
    }

    @Override
    public FileChannel open(String path, boolean write, boolean create, boolean createNew, boolean truncate)
        throws IOException {
        Path p = resolve(path);
        BasicFileAttributes existing = PROVIDER.readAttributesIfExists(p, BasicFileAttributes.class);
        if (existing != null && existing.isOther()) {
            // A FIFO would block the open or its READs until some local process writes to it, a
            // device would serve whatever it serves: neither is a file a client can share.
            throw new AccessDeniedException(path, null, "not a regular file or directory (a FIFO, socket or device)");
        }
        Set<OpenOption> opts = new HashSet<>();
        opts.add(StandardOpenOption.READ);
        if (write || create || createNew || truncate) {
            opts.add(StandardOpenOption.WRITE);
        }
        if (createNew) {
            opts.add(StandardOpenOption.CREATE_NEW);
        } else if (create) {
            opts.add(StandardOpenOption.CREATE);
        }
        if (truncate) {
            opts.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (create || createNew) {
            return names.adding(p.getParent(), p.getFileName().toString(), () -> FileChannel.open(p, opts));
        }
        return FileChannel.open(p, opts);
    }

    @Override
    public void createDirectory(String path) throws IOException {
        Path p = resolve(path);
        names.adding(p.getParent(), p.getFileName().toString(), () -> Files.createDirectory(p));
    }

    @Override
    public List<DirEntry> list(String path) throws IOException {
        Path dir = resolve(path);
        List<DirEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path child : ds) {
                if (out.size() >= MAX_LIST) {
                    break;
                }
                try {
                    BasicFileAttributes own = PROVIDER.readAttributesIfExists(child, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                    if (own == null || own.isSymbolicLink() && !child.toRealPath().startsWith(realRoot)) {
                        continue; // vanished, or a link that leads outside: not shown
                    }
                    out.add(new DirEntry(child.getFileName().toString(), statOf(child)));
                } catch (IOException vanishedOrDangling) {
                    // skip entries that disappear while listing or dangle
                }
            }
        }
        return out;
    }

    @Override
    public void delete(String path) throws IOException {
        if (path.isEmpty()) {
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "cannot delete the share root");
        }
        Path p = resolve(path);
        try {
            Files.delete(p);
        } finally {
            names.forget(p.getParent());
        }
    }

    @Override
    public void rename(String from, String to, boolean replace) throws IOException {
        Path src = resolve(from);
        Path dst = resolve(to);
        try {
            if (replace) {
                Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS) && !src.equals(dst)
                    && !src.toString().equalsIgnoreCase(dst.toString())) {
                    throw new java.nio.file.FileAlreadyExistsException(to);
                }
                Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            names.forget(src.getParent());
            names.forget(dst.getParent());
        }
    }

    @Override
    public void setBasicInfo(String path, long creationTime, long lastAccessTime, long lastWriteTime, int dosAttributes)
        throws IOException {
        Path p = resolve(path);
        var view = Files.getFileAttributeView(p, BasicFileAttributeView.class);
        view.setTimes(ft(lastWriteTime), ft(lastAccessTime), null);
        boolean setCreation = creationTime != 0 && creationTime != -1;
        if (dosAttributes >= 0 || setCreation) {
            long[] stored = readStored(p);
            int attrs = dosAttributes >= 0 ? dosAttributes & FileAttributes.SETTABLE
                : stored != null ? (int) stored[0] : statOf(p).dosAttributes() & FileAttributes.SETTABLE;
            long created = setCreation ? creationTime : stored != null ? stored[1] : 0;
            writeStored(p, attrs, created);
        }
    }

    private static java.nio.file.attribute.FileTime ft(long fileTime) {
        return fileTime == 0 || fileTime == -1 ? null
            : java.nio.file.attribute.FileTime.from(FileTime.toInstant(fileTime));
    }

    @Override
    public Optional<String> resolveCase(String path) throws IOException {
        if (Files.exists(resolve(path))) {
            return Optional.of(path);
        }
        // [MS-FSCC] names compare case-insensitively: walk the components, matching each ignoring case.
        String current = "";
        for (String part : path.split("/")) {
            String candidate = current.isEmpty() ? part : current + "/" + part;
            Path dir = resolve(current);
            if (Files.exists(resolve(candidate), LinkOption.NOFOLLOW_LINKS)) {
                current = candidate;
                continue;
            }
            String match = names.find(dir, part);
            if (match == null) {
                return Optional.empty();
            }
            current = current.isEmpty() ? match : current + "/" + match;
        }
        return Optional.of(current);
    }

    @Override
    public Optional<Path> localPath(String path) throws IOException {
        return Optional.of(resolve(path));
    }

    @Override
    public FsStat fsStat() throws IOException {
        FileStore fs = Files.getFileStore(realRoot);
        return new FsStat(fs.getTotalSpace(), fs.getUnallocatedSpace(), fs.getUsableSpace());
    }
}
