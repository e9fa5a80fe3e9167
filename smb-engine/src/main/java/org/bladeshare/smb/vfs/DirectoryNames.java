package org.bladeshare.smb.vfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Case-insensitive name lookup in directories ([MS-FSCC] names compare without case), backed
 * by a listing per directory that stays valid while the directory's identity and modification
 * time are unchanged. A create in a directory of n entries would otherwise read all n entries
 * to learn that no case variant of the new name exists, so n creates cost n^2 reads.
 *
 * <p>This server's own changes keep a listing current: the directory is stat-ed just before
 * and after the change, and the listing is updated only when it was current just before. Any
 * other change (another process, another node) moves the modification time and forces a fresh
 * listing on the next lookup; what can slip through is a foreign change within the same
 * timestamp tick as one of ours, the same window that already exists between checking for a
 * variant and creating the file.
 */
final class DirectoryNames {
    private static final int MAX_DIRECTORIES = 16;
    /** Larger directories are scanned on every lookup, as before (bounds the memory: 160,000 names). */
    private static final int MAX_NAMES = 10_000;

    private record Stamp(Object fileKey, FileTime modified) {
    }

    private static final class Listing {
        Stamp stamp;
        final Map<String, String> byFolded = new HashMap<>();
    }

    private final Map<Path, Listing> listings = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Listing> eldest) {
            return size() > MAX_DIRECTORIES;
        }
    };

    /** The name on disk in {@code dir} equal to {@code name} ignoring case, or null. */
    String find(Path dir, String name) throws IOException {
        Stamp now = stamp(dir);
        if (now == null) {
            return null;
        }
        String key = fold(name);
        synchronized (this) {
            Listing known = listings.get(dir);
            if (known != null && known.stamp.equals(now)) {
                return known.byFolded.get(key);
            }
        }
        Listing fresh = new Listing();
        fresh.stamp = now;
        int seen = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path child : ds) {
                if (++seen > MAX_NAMES) {
                    break;
                }
                String onDisk = child.getFileName().toString();
                fresh.byFolded.putIfAbsent(fold(onDisk), onDisk);
            }
        }
        if (seen <= MAX_NAMES) {
            synchronized (this) {
                listings.put(dir, fresh);
            }
            return fresh.byFolded.get(key);
        }
        return scan(dir, name);
    }

    private static String scan(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path child : ds) {
                if (child.getFileName().toString().equalsIgnoreCase(name)) {
                    return child.getFileName().toString();
                }
            }
        }
        return null;
    }

    /** A change in {@code dir} by this server that adds {@code name}; a current listing learns it. */
    <T> T adding(Path dir, String name, IoAction<T> change) throws IOException {
        Stamp before = stamp(dir);
        T result;
        try {
            result = change.run();
        } catch (IOException | RuntimeException e) {
            forget(dir);
            throw e;
        }
        Stamp after = stamp(dir);
        synchronized (this) {
            Listing known = listings.get(dir);
            if (known != null) {
                if (before != null && after != null && known.stamp.equals(before)) {
                    known.byFolded.putIfAbsent(fold(name), name);
                    known.stamp = after;
                } else {
                    listings.remove(dir);
                }
            }
        }
        return result;
    }

    /** Drops what is known about {@code dir} (after a delete or rename there). */
    synchronized void forget(Path dir) {
        listings.remove(dir);
    }

    interface IoAction<T> {
        T run() throws IOException;
    }

    private static Stamp stamp(Path dir) throws IOException {
        BasicFileAttributes a = dir.getFileSystem().provider().readAttributesIfExists(dir, BasicFileAttributes.class);
        return a == null || !a.isDirectory() ? null : new Stamp(a.fileKey(), a.lastModifiedTime());
    }

    /** Equal for two names exactly when {@link String#equalsIgnoreCase} holds, code point by code point. */
    static String fold(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(c -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
        return b.toString();
    }
}
