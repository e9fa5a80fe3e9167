package org.bladeshare.smb.server;

import org.bladeshare.smb.smb2.ChangeNotify;
import org.bladeshare.smb.vfs.DirEntry;
import org.bladeshare.smb.vfs.FileStat;
import org.bladeshare.smb.vfs.FsStat;
import org.bladeshare.smb.vfs.Vfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A share's file system as the engine changes it: every change made through it is reported to the
 * {@link ChangeNotifier} with its FILE_NOTIFY_CHANGE_* bits ([MS-FSA] 2.1.4.1, as FsRtlNotifyFullReportChange
 * is called by the file system), before the request that made it is answered.
 */
final class NotifyingVfs implements Vfs {
    private final Vfs inner;
    private final ChangeNotifier notifier;

    NotifyingVfs(Vfs inner, ChangeNotifier notifier) {
        this.inner = inner;
        this.notifier = notifier;
    }

    /** The file system without reports, for the steps of a change already reported (a CREATE's attributes). */
    static Vfs quiet(Vfs vfs) {
        return vfs instanceof NotifyingVfs n ? n.inner : vfs;
    }

    private void expect(String path) {
        notifier.aboutToChange(this, path);
    }

    private void report(int action, String path, int filter) {
        notifier.report(this, action, path, filter);
    }

    private boolean isDirectory(String path) throws IOException {
        return inner.stat(path).map(FileStat::directory).orElse(false);
    }

    private static int nameFilter(boolean directory) {
        return directory ? ChangeNotify.FILTER_DIR_NAME : ChangeNotify.FILTER_FILE_NAME;
    }

    @Override
    public Optional<FileStat> stat(String path) throws IOException {
        return inner.stat(path);
    }

    @Override
    public Map<String, byte[]> extendedAttributes(String path) throws IOException {
        return inner.extendedAttributes(path);
    }

    @Override
    public void setExtendedAttribute(String path, String name, byte[] value) throws IOException {
        expect(path);
        inner.setExtendedAttribute(path, name, value);
        report(ChangeNotify.ACTION_MODIFIED, path, ChangeNotify.FILTER_EA);
    }

    @Override
    public FileChannel open(String path, boolean write, boolean create, boolean createNew, boolean truncate)
        throws IOException {
        boolean added = createNew || create && inner.stat(path).isEmpty();
        if (added) {
            expect(path);
        }
        FileChannel channel = inner.open(path, write, create, createNew, truncate);
        if (added) {
            report(ChangeNotify.ACTION_ADDED, path, ChangeNotify.FILTER_FILE_NAME);
        }
        return channel;
    }

    @Override
    public void createDirectory(String path) throws IOException {
        expect(path);
        inner.createDirectory(path);
        report(ChangeNotify.ACTION_ADDED, path, ChangeNotify.FILTER_DIR_NAME);
    }

    @Override
    public List<DirEntry> list(String path) throws IOException {
        return inner.list(path);
    }

    @Override
    public void delete(String path) throws IOException {
        boolean directory = isDirectory(path);
        expect(path);
        inner.delete(path);
        report(ChangeNotify.ACTION_REMOVED, path, nameFilter(directory));
    }

    @Override
    public void rename(String from, String to, boolean replace) throws IOException {
        boolean directory = isDirectory(from);
        expect(from);
        expect(to);
        inner.rename(from, to, replace);
        notifier.reportRename(this, from, to, directory);
    }

    @Override
    public void setBasicInfo(String path, long creationTime, long lastAccessTime, long lastWriteTime,
                             int dosAttributes) throws IOException {
        expect(path);
        inner.setBasicInfo(path, creationTime, lastAccessTime, lastWriteTime, dosAttributes);
        int filter = (dosAttributes >= 0 ? ChangeNotify.FILTER_ATTRIBUTES : 0)
            | (isSet(creationTime) ? ChangeNotify.FILTER_CREATION : 0)
            | (isSet(lastAccessTime) ? ChangeNotify.FILTER_LAST_ACCESS : 0)
            | (isSet(lastWriteTime) ? ChangeNotify.FILTER_LAST_WRITE : 0);
        if (filter != 0) {
            report(ChangeNotify.ACTION_MODIFIED, path, filter);
        }
    }

    private static boolean isSet(long fileTime) {
        return fileTime != 0 && fileTime != -1;
    }

    @Override
    public Optional<String> resolveCase(String path) throws IOException {
        return inner.resolveCase(path);
    }

    @Override
    public FsStat fsStat() throws IOException {
        return inner.fsStat();
    }

    @Override
    public Optional<Path> localPath(String path) throws IOException {
        return inner.localPath(path);
    }
}
