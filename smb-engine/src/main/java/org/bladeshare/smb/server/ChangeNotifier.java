package org.bladeshare.smb.server;

import org.bladeshare.smb.smb2.ChangeNotify;
import org.bladeshare.smb.state.FileKey;
import org.bladeshare.smb.vfs.SmbPath;
import org.bladeshare.smb.vfs.Vfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory watches of this node's opens (CHANGE_NOTIFY, [MS-SMB2] 3.3.5.19) and the changes
 * the engine makes: every change through a share's {@link NotifyingVfs} reaches the watches of its
 * parent directory, and of every ancestor watched with WATCH_TREE. The file system's own events
 * ({@link DirectoryWatcher}) add the changes made behind the server's back; those that merely echo
 * a change the engine reported a moment ago are dropped ({@link #isEcho}).
 */
final class ChangeNotifier {
    /** How long the file system may take to echo a change the engine made. */
    private static final long ECHO_WINDOW_NANOS = 2_000_000_000L;
    private static final int MAX_RECENT = 4096;

    /** One open's watch: the share it is on (its file system), the open (for its path) and the watch. */
    private record Registration(Vfs vfs, Open open, ChangeNotifyHandler.Watch watch) {
    }

    private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();
    /** Watches by the watched directory's identity in the share-mode table. */
    private final Map<FileKey, Set<ChangeNotifyHandler.Watch>> byDirectory = new ConcurrentHashMap<>();
    /** Local paths the engine changed lately, with when: the file system's echo of them is not news. */
    private final Map<Path, Long> recent = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Long> eldest) {
            return size() > MAX_RECENT;
        }
    };

    void register(Open open, ChangeNotifyHandler.Watch watch) {
        registrations.add(new Registration(open.tree.vfs(), open, watch));
        if (open.fileKey != null) {
            byDirectory.computeIfAbsent(open.fileKey, k -> ConcurrentHashMap.newKeySet()).add(watch);
        }
    }

    void unregister(Open open, ChangeNotifyHandler.Watch watch) {
        registrations.removeIf(r -> r.watch() == watch);
        if (open.fileKey != null) {
            byDirectory.computeIfPresent(open.fileKey, (k, set) -> {
                set.remove(watch);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** The directory is now delete-pending: answers the notifies waiting on it with STATUS_DELETE_PENDING. */
    void directoryDeletePending(FileKey directory) {
        for (ChangeNotifyHandler.Watch w : byDirectory.getOrDefault(directory, Set.of())) {
            w.directoryDeletePending();
        }
    }

    /**
     * The engine changed {@code path} (share-relative, '/'-separated) on {@code vfs}: FILE_NOTIFY_INFORMATION
     * {@code action}, matching the completion filter bits {@code filter}.
     */
    void report(Vfs vfs, int action, String path, int filter) {
        for (Registration r : registrations) {
            String relative = r.vfs() == vfs ? relativeTo(r, path) : null;
            if (relative != null) {
                r.watch().add(action, relative, filter);
            }
        }
    }

    /** A rename within one directory: RENAMED_OLD_NAME and RENAMED_NEW_NAME, delivered together. */
    void reportRename(Vfs vfs, String from, String to, int filter) {
        for (Registration r : registrations) {
            String oldName = r.vfs() == vfs ? relativeTo(r, from) : null;
            String newName = r.vfs() == vfs ? relativeTo(r, to) : null;
            if (oldName != null && newName != null) {
                r.watch().addRename(ChangeNotify.ACTION_RENAMED_OLD_NAME, oldName,
                    ChangeNotify.ACTION_RENAMED_NEW_NAME, newName, filter);
            }
        }
    }

    /** {@code path} relative to the registration's directory when the watch covers it, else null. */
    private static String relativeTo(Registration r, String path) {
        if (path.isEmpty()) {
            return null; // the share root has no parent to tell
        }
        String parent = SmbPath.parent(path);
        String dir = r.open().path;
        if (parent.equalsIgnoreCase(dir)) {
            return SmbPath.leaf(path);
        }
        if (r.watch().tree && isBelow(parent, dir)) {
            return dir.isEmpty() ? path : path.substring(dir.length() + 1);
        }
        return null;
    }

    /**
     * The engine is about to change {@code path}: called before the change is made, so that the file
     * system's echo of it, which can arrive before {@link #report}, is known for one.
     */
    void aboutToChange(Vfs vfs, String path) {
        if (!registrations.isEmpty()) {
            remember(vfs, path);
        }
    }

    private static boolean isBelow(String path, String dir) {
        return dir.isEmpty() || path.length() > dir.length() && path.charAt(dir.length()) == '/'
            && path.regionMatches(true, 0, dir, 0, dir.length());
    }

    private void remember(Vfs vfs, String path) {
        try {
            var local = vfs.localPath(path);
            if (local.isPresent()) {
                synchronized (recent) {
                    recent.remove(local.get());
                    recent.put(local.get(), System.nanoTime());
                }
            }
        } catch (IOException e) {
            // no local path: nothing can echo it
        }
    }

    /** Whether a file-system event on {@code local} is the echo of a change the engine just reported. */
    boolean isEcho(Path local) {
        Long when;
        synchronized (recent) {
            when = recent.get(local);
        }
        return when != null && System.nanoTime() - when < ECHO_WINDOW_NANOS;
    }

    /**
     * A WRITE is about to change the open's file: like Samba, the change is reported when the open
     * is closed ({@link #WRITTEN}); the file system's echo of the write itself is not news.
     */
    void writing(Open open) {
        open.written = true;
        if (!registrations.isEmpty() && open.tree.vfs() != null) {
            remember(open.tree.vfs(), open.path);
        }
    }

    /** FILE_NOTIFY_CHANGE_* bits of a change reported at close for an open that wrote (as Samba at close). */
    static final int WRITTEN = ChangeNotify.FILTER_LAST_WRITE;
}
