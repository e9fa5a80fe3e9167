package org.bladeshare.cluster.db;

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

    private final String name;
    private final DB db;
    private final BTreeMap<String, byte[]> records;
    private final Atomic.Long seq;
    private final List<BiConsumer<String, byte[]>> watchers = new CopyOnWriteArrayList<>();

    private PersistentStore(String name, DB db) {
        this.name = name;
        this.db = db;
        this.records = db.treeMap("records", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.seq = db.atomicLong("seqnum").createOrOpen();
        db.commit();
    }

    /** Opens (creating if absent) the database file. */
    public static PersistentStore open(String name, Path file, Path tmpDir) throws IOException {
        Lz4NativeLoader.loadInto(tmpDir);
        try {
            return new PersistentStore(name, DBMaker.fileDB(file.toFile()).transactionEnable().make());
        } catch (RuntimeException e) {
            throw new IOException("cannot open persistent database " + name + " at " + file + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public synchronized long seq() {
        return seq.get();
    }

    public synchronized Optional<byte[]> get(String key) {
        byte[] v = records.get(key);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    public synchronized SortedMap<String, byte[]> snapshot() {
        SortedMap<String, byte[]> copy = new TreeMap<>();
        records.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Commits one write with the sequence number the coordinator gave it; null deletes. */
    public void apply(long newSeq, String key, byte[] value) {
        synchronized (this) {
            if (value == null) {
                records.remove(key);
            } else {
                records.put(key, value.clone());
            }
            seq.set(newSeq);
            db.commit();
        }
        fire(key, value);
    }

    /** Replaces the whole database with another node's newer copy, in one transaction. */
    public void install(long newSeq, SortedMap<String, byte[]> image) {
        List<Map.Entry<String, byte[]>> changes = new ArrayList<>();
        synchronized (this) {
            for (String key : new ArrayList<>(records.keySet())) {
                if (!image.containsKey(key)) {
                    records.remove(key);
                    changes.add(new java.util.AbstractMap.SimpleEntry<>(key, null));
                }
            }
            image.forEach((k, v) -> {
                byte[] old = records.get(k);
                if (old == null || !Arrays.equals(old, v)) {
                    records.put(k, v.clone());
                    changes.add(new java.util.AbstractMap.SimpleEntry<>(k, v));
                }
            });
            seq.set(newSeq);
            db.commit();
        }
        changes.forEach(c -> fire(c.getKey(), c.getValue()));
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
        if (!db.isClosed()) {
            db.close();
        }
    }
}
