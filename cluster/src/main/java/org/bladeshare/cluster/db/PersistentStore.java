package org.bladeshare.cluster.db;

import org.bladeshare.cluster.wire.WireMessage.Change;
import org.mapdb.Atomic;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * This node's copy of one persistent database: one MapDB file with write-ahead
 * transactions, holding the records and the database's sequence number (CTDB's
 * {@code __db_sequence_number__}). Every change is one committed transaction.
 */
public final class PersistentStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentStore.class);

    private static final long DIGEST_FORMAT = 1;

    private final String name;
    private final Path file;
    private DB db;
    private BTreeMap<String, byte[]> records;
    private Atomic.Long seq;
    /** XOR of every record's hash, committed in the same transaction as the records. */
    private Atomic.Long digest;
    private final List<BiConsumer<String, byte[]>> watchers = new CopyOnWriteArrayList<>();

    private PersistentStore(String name, Path file) throws IOException {
        this.name = name;
        this.file = file;
        try {
            openAndVerify();
        } catch (RuntimeException | IOException e) {
            // A kill -9 in the middle of a commit can leave MapDB's file and write-ahead log
            // torn (seen in the tests' kill -9 rounds). This copy is only one of the cluster's:
            // set it aside and start empty at sequence number 0; the next recovery copies the
            // database back from the node with the highest sequence number.
            LOG.error("persistent database {} at {} is damaged ({}); it is set aside and will be copied"
                    + " back from the cluster by the next recovery", name, file, e.toString());
            closeQuietly();
            quarantine();
            openAndVerify();
        }
    }

    /** Opens the file and reads every record, checking them against the committed digest. */
    private void openAndVerify() throws IOException {
        // Memory-mapped: a commit's tree reads cost no system call each (a 10,000-record commit
        // takes about a quarter of the time it takes through RandomAccessFile). Each commit still
        // forces (msync) its write-ahead log and the file before it returns. The write-ahead log
        // files are new for every commit, so the kernel's zero-filled pages need no clearing;
        // the cleaner hack unmaps each one when MapDB is done with it instead of leaving
        // thousands of mappings to the garbage collector.
        db = DBMaker.fileDB(file.toFile()).fileMmapEnableIfSupported().fileMmapPreclearDisable().cleanerHackEnable()
                .transactionEnable().make();
        records = db.treeMap("records", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        seq = db.atomicLong("seqnum").createOrOpen();
        digest = db.atomicLong("digest").createOrOpen();
        Atomic.Long format = db.atomicLong("digestFormat").createOrOpen();
        long actual = 0;
        String previous = null;
        for (var e : records.entrySet()) { // reads every node of the tree: a torn one throws here
            previous = requireAscending(previous, e.getKey());
            actual ^= hash(e.getKey(), e.getValue());
        }
        if (format.get() != DIGEST_FORMAT) {
            format.set(DIGEST_FORMAT); // a file written before digests: trusted once, digested from now on
            digest.set(actual);
        } else if (digest.get() != actual) {
            throw new IOException("its records do not match their digest (a torn transaction)");
        }
        db.commit();
    }

    /** Moves the damaged file and its write-ahead logs aside, kept for a post-mortem. */
    private void quarantine() throws IOException {
        String stamp = ".damaged-" + System.currentTimeMillis();
        String base = file.getFileName().toString();
        try (var siblings = java.nio.file.Files.list(file.getParent())) {
            for (Path p : siblings.toList()) {
                String n = p.getFileName().toString();
                if (n.equals(base) || n.startsWith(base + ".wal.")) {
                    java.nio.file.Files.move(p, p.resolveSibling(base + stamp + n.substring(base.length())));
                }
            }
        }
    }

    /**
     * A sorted map yields strictly ascending keys; a torn tree whose leaves link back into
     * themselves (seen after a kill -9) would instead be walked forever.
     */
    private static String requireAscending(String previous, String key) {
        if (previous != null && key.compareTo(previous) <= 0) {
            throw new IllegalStateException("records out of order after " + previous + " (a torn tree)");
        }
        return key;
    }

    private void closeQuietly() {
        try {
            if (db != null && !db.isClosed()) {
                db.close();
            }
        } catch (RuntimeException ignored) {
            // a damaged store may fail to close; its files are set aside anyway
        }
    }

    /** An order-independent 64-bit record hash: FNV-1a over key and value, then mixed. */
    static long hash(String key, byte[] value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ 0x1ff) * 0x100000001b3L; // a separator no byte can be
        for (byte b : value) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** The hash a transaction records for a value it read; 0 for an absent record. */
    static long hashOrZero(String key, byte[] value) {
        return value == null ? 0 : hash(key, value);
    }

    /** Opens (creating if absent) the database file; a damaged file is set aside and replaced by an empty one. */
    public static PersistentStore open(String name, Path file, Path tmpDir) throws IOException {
        Lz4NativeLoader.loadInto(tmpDir);
        try {
            return new PersistentStore(name, file);
        } catch (RuntimeException e) {
            throw new IOException("cannot open persistent database " + name + " at " + file + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public synchronized long seq() {
        try {
            return seq.get();
        } catch (RuntimeException e) {
            setAside(e);
            return 0; // the next recovery copies the database back here
        }
    }

    /** A read or write found this copy damaged: it is set aside and replaced by an empty one. */
    private void setAside(RuntimeException cause) {
        LOG.error("persistent database {} at {} is damaged ({}); it is set aside and will be copied back"
                + " from the cluster by recovery", name, file, cause.toString());
        closeQuietly();
        try {
            quarantine();
            openAndVerify();
        } catch (IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
    }

    public synchronized Optional<byte[]> get(String key) {
        byte[] v = records.get(key);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    public synchronized SortedMap<String, byte[]> snapshot() {
        SortedMap<String, byte[]> copy = new TreeMap<>();
        String previous = null;
        for (var e : records.entrySet()) {
            previous = requireAscending(previous, e.getKey());
            copy.put(e.getKey(), e.getValue().clone());
        }
        return copy;
    }

    /** Commits one write with the sequence number the coordinator gave it; null deletes. */
    public void apply(long newSeq, String key, byte[] value) {
        applyAll(newSeq, List.of(new Change(key, value)));
    }

    /**
     * Commits the changes of one or more transactions, in order, with the sequence number the
     * coordinator gave them, as ONE MapDB commit that also holds the new digest and sequence
     * number: after a crash this copy has all of them or none (a torn file fails its digest
     * check on open and is set aside). On failure nothing of it is applied.
     */
    public void applyAll(long newSeq, List<Change> changes) {
        synchronized (this) {
            try {
                long d = digest.get();
                for (Change c : changes) {
                    byte[] v = c.value();
                    byte[] old = v == null ? records.remove(c.key()) : records.put(c.key(), v.clone());
                    d ^= hashOrZero(c.key(), old) ^ hashOrZero(c.key(), v);
                }
                digest.set(d);
                seq.set(newSeq);
                db.commit();
            } catch (RuntimeException e) {
                try {
                    db.rollback(); // never commit part of it later
                } catch (RuntimeException ignored) {
                    // the store is damaged: the next recovery's install replaces it
                }
                throw e;
            }
        }
        for (Change c : changes) {
            fire(c.key(), c.value());
        }
    }

    /**
     * Replaces the whole database with another node's newer copy, in one transaction. If this
     * copy turns out damaged on the way, it is set aside and the image written to a new file.
     */
    public void install(long newSeq, SortedMap<String, byte[]> image) {
        List<Map.Entry<String, byte[]>> changes;
        synchronized (this) {
            try {
                changes = replaceAll(newSeq, image);
            } catch (RuntimeException e) {
                setAside(e);
                changes = replaceAll(newSeq, image);
            }
        }
        changes.forEach(c -> fire(c.getKey(), c.getValue()));
    }

    private List<Map.Entry<String, byte[]>> replaceAll(long newSeq, SortedMap<String, byte[]> image) {
        List<Map.Entry<String, byte[]>> changes = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        String previous = null;
        for (String key : records.keySet()) {
            previous = requireAscending(previous, key);
            keys.add(key);
        }
        for (String key : keys) {
            if (!image.containsKey(key)) {
                records.remove(key);
                changes.add(new java.util.AbstractMap.SimpleEntry<>(key, null));
            }
        }
        long d = 0;
        for (var e : image.entrySet()) {
            String k = e.getKey();
            byte[] v = e.getValue();
            byte[] old = records.get(k);
            if (old == null || !Arrays.equals(old, v)) {
                records.put(k, v.clone());
                changes.add(new java.util.AbstractMap.SimpleEntry<>(k, v));
            }
            d ^= hash(k, v);
        }
        digest.set(d);
        seq.set(newSeq);
        db.commit();
        return changes;
    }

    public AutoCloseable watch(BiConsumer<String, byte[]> listener) {
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }

    private void fire(String key, byte[] value) {
        for (BiConsumer<String, byte[]> w : watchers) {
            try {
                w.accept(key, value == null ? null : value.clone());
            } catch (RuntimeException e) {
                LOG.warn("watcher of {} failed on {}", name, key, e);
            }
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
