package org.bladeshare.cluster.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * MapDB hashes with lz4-java, which on first use unpacks its native library into
 * {@code java.io.tmpdir} under a random name that a {@code kill -9} leaves behind (STACK.md).
 * The JDK reads {@code java.io.tmpdir} once at start-up, so instead we unpack the library
 * ourselves under one fixed name inside the data dir, load it, and tell lz4-java it is
 * loaded. If anything here fails lz4-java falls back to its own loading (or pure Java).
 */
final class Lz4NativeLoader {
    private static final Logger LOG = LoggerFactory.getLogger(Lz4NativeLoader.class);
    private static boolean done;

    private Lz4NativeLoader() {
    }

    static synchronized void loadInto(Path dir) {
        if (done) {
            return;
        }
        done = true;
        try {
            Class<?> nativeClass = Class.forName("net.jpountz.util.Native");
            if ((boolean) nativeClass.getMethod("isLoaded").invoke(null)) {
                return;
            }
            String arch = System.getProperty("os.arch");
            if (!System.getProperty("os.name").contains("Linux") || !arch.equals("amd64")) {
                return;
            }
            Files.createDirectories(dir);
            Path lib = dir.resolve("liblz4-java.so");
            Path part = Files.createTempFile(dir, "liblz4-java", ".part");
            try (InputStream in = nativeClass.getResourceAsStream("/linux/amd64/liblz4-java.so")) {
                if (in == null) {
                    Files.deleteIfExists(part);
                    return;
                }
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            // rename, never overwrite in place: another process may have the old file mapped
            Files.move(part, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.load(lib.toAbsolutePath().toString());
            Field loaded = nativeClass.getDeclaredField("loaded");
            loaded.setAccessible(true);
            loaded.setBoolean(null, true);
        } catch (ReflectiveOperationException | IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.debug("lz4 native library left to lz4-java's own loader: {}", e.toString());
        }
    }
}
