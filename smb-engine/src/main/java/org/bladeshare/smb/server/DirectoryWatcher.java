package org.bladeshare.smb.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The server's one file-system watcher (inotify through java.nio WatchService), shared by every
 * CHANGE_NOTIFY. Each watched directory fans events out to the {@link Subscription}s on it.
 */
final class DirectoryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
    private static final int MAX_TREE_DIRECTORIES = 2000;

    /** Receives (action, path relative to the watched root with '/' separators) pairs. */
    interface Listener {
        void changed(int action, String relativePath, boolean overflow);
    }

    /** One open's watch: the root it watches and the keys registered for it. */
    final class Subscription implements AutoCloseable {
        final Path root;
        final Listener listener;
        final List<WatchKey> keys = new CopyOnWriteArrayList<>();

        Subscription(Path root, Listener listener) {
            this.root = root;
            this.listener = listener;
        }

        @Override
        public void close() {
            for (WatchKey k : keys) {
                List<Subscription> subs = byKey.get(k);
                if (subs != null) {
                    subs.remove(this);
                    if (subs.isEmpty()) {
                        byKey.remove(k);
                        k.cancel();
                    }
                }
            }
        }
    }

    private final WatchService service;
    private final Map<WatchKey, List<Subscription>> byKey = new ConcurrentHashMap<>();
    private final Thread loop;

    DirectoryWatcher() throws IOException {
        service = FileSystems.getDefault().newWatchService();
        loop = Thread.ofVirtual().name("smb-notify").start(this::run);
    }

    /** Watches {@code dir} (and with {@code tree} its subdirectories, up to a bound). */
    Subscription watch(Path dir, boolean tree, Listener listener) throws IOException {
        Subscription sub = new Subscription(dir, listener);
        register(sub, dir);
        if (tree) {
            try (Stream<Path> dirs = Files.walk(dir)) {
                dirs.skip(1).filter(Files::isDirectory).limit(MAX_TREE_DIRECTORIES).forEach(d -> {
                    try {
                        register(sub, d);
                    } catch (IOException e) {
                        LOG.debug("cannot watch {}: {}", d, e.toString());
                    }
                });
            }
        }
        return sub;
    }

    private void register(Subscription sub, Path dir) throws IOException {
        WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
        byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(sub);
        sub.keys.add(key);
    }

    private void run() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Path dir = (Path) key.watchable();
            for (WatchEvent<?> ev : key.pollEvents()) {
                boolean overflow = ev.kind() == StandardWatchEventKinds.OVERFLOW;
                int action = ev.kind() == StandardWatchEventKinds.ENTRY_CREATE ? 1
                    : ev.kind() == StandardWatchEventKinds.ENTRY_DELETE ? 2 : 3;
                Path full = overflow ? dir : dir.resolve((Path) ev.context());
                for (Subscription sub : byKey.getOrDefault(key, List.of())) {
                    String rel = sub.root.relativize(full).toString();
                    try {
                        sub.listener.changed(action, rel, overflow);
                    } catch (RuntimeException e) {
                        LOG.warn("notify listener failed", e);
                    }
                }
            }
            key.reset();
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        loop.interrupt();
    }
}
