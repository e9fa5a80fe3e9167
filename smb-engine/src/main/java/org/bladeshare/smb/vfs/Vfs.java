package org.bladeshare.smb.vfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;

/**
 * The file-system seam of one share. Paths are relative to the share root, components separated
 * by '/', "" for the root, already checked by {@link SmbPath}. Implementations must keep every
 * operation inside the root (symbolic links included) and may be stacked like Samba's VFS modules.
 */
public interface Vfs {
    Optional<FileStat> stat(String path) throws IOException;

    /** Extended attributes ([MS-FSCC] 2.4.15) by name, in a stable order; empty when there are none. */
    default java.util.Map<String, byte[]> extendedAttributes(String path) throws IOException {
        return java.util.Map.of();
    }

    /** Sets one extended attribute (names match case-insensitively); an empty value removes it. */
    default void setExtendedAttribute(String path, String name, byte[] value) throws IOException {
        throw new UnsupportedOperationException("extended attributes are not supported here");
    }

    /** Opens a regular file; {@code create} makes it if missing, {@code createNew} fails if present. */
    FileChannel open(String path, boolean write, boolean create, boolean createNew, boolean truncate) throws IOException;

    void createDirectory(String path) throws IOException;

    /** Members of a directory, without "." and "..". */
    List<DirEntry> list(String path) throws IOException;

    /** Removes a file or an empty directory. */
    void delete(String path) throws IOException;

    void rename(String from, String to, boolean replace) throws IOException;

    /** Sets times (FILETIME, 0 or -1 = leave unchanged) and DOS attributes (-1 = leave unchanged). */
    void setBasicInfo(String path, long creationTime, long lastAccessTime, long lastWriteTime, int dosAttributes)
        throws IOException;

    /** The actual name on disk of a path given in any letter case, if a match exists. */
    default Optional<String> resolveCase(String path) throws IOException {
        return stat(path).isPresent() ? Optional.of(path) : Optional.empty();
    }

    FsStat fsStat() throws IOException;

    /** The local directory behind a path, for change notification; empty when there is none. */
    default Optional<java.nio.file.Path> localPath(String path) throws IOException {
        return Optional.empty();
    }
}
