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
 * a change the engine is making ({@link #isEcho}) or a watch heard from the engine are dropped.
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
        Path local = null;
        for (Registration r : registrations) {
            String relative = r.vfs() == vfs ? relativeTo(r, path) : null;
            if (relative != null) {
                local = local != null ? local : localPath(vfs, path);
                r.watch().heardFromEngine(local);
                r.watch().add(action, relative, filter);
            }
        }
        forget(vfs, path);
    }

    /** The engine renamed {@code from} to {@code to}: each watch covering either name hears it. */
    void reportRename(Vfs vfs, String from, String to, boolean directory) {
        for (Registration r : registrations) {
            String oldName = r.vfs() == vfs ? relativeTo(r, from) : null;
            String newName = r.vfs() == vfs ? relativeTo(r, to) : null;
            if (oldName != null || newName != null) {
                r.watch().heardFromEngine(localPath(vfs, from));
                r.watch().heardFromEngine(localPath(vfs, to));
                r.watch().addRename(oldName, newName, directory);
            }
        }
        forget(vfs, from);
        forget(vfs, to);
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

    private static Path localPath(Vfs vfs, String path) {
        try {
            return vfs.localPath(path).orElse(null);
        } catch (IOException e) {
            return null; // no local path: nothing can echo it
        }
    }

    private void remember(Vfs vfs, String path) {
        Path local = localPath(vfs, path);
        if (local != null) {
            synchronized (recent) {
                recent.remove(local);
                recent.put(local, System.nanoTime());
            }
        }
    }

    /**
     * The change is reported: from now on the watches that heard it recognise its echo themselves. A
     * watch that started after the change did not hear it, and takes the file system's word for it
     * (a notify racing a change made on another connection).
     */
    private void forget(Vfs vfs, String path) {
        if (registrations.isEmpty()) {
            return;
        }
        Path local = localPath(vfs, path);
        if (local != null) {
            synchronized (recent) {
                recent.remove(local);
            }
        }
    }

    /** Whether a file-system event on {@code local} is the echo of a change the engine is making or writing. */
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
