package org.bladeshare.cluster.db;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * This node's copy of one volatile database, in memory (CTDB wipes volatile databases when a
 * node starts, so nothing of it needs to reach the disk): the records it holds as DMASTER,
 * the headers it keeps as LMASTER, and stale copies until the next recovery drops them.
 * Two lock families per key: the record lock (held by {@link LockedRecord}s and by a
 * hand-over) and the LMASTER lock (serializes migrations through this node as LMASTER).
 */
public final class VolatileStore {
    private final String name;
    private final Map<String, Record> records = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> recordLocks = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> lmasterLocks = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<BiConsumer<String, byte[]>> watchers = new CopyOnWriteArrayList<>();

    VolatileStore(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Record get(String key) {
        return records.get(key);
    }

    public void put(String key, Record r) {
        records.put(key, r);
    }

    void remove(String key) {
        records.remove(key);
    }

    public Map<String, Record> records() {
        return records;
    }

    ReentrantLock recordLock(String key) {
        // fair: a migration request waiting for the record gets it at the next unlock, instead of
        // losing to this node's own next fetch forever (a hot record would never leave a busy node)
        return recordLocks.computeIfAbsent(key, k -> new ReentrantLock(true));
    }

    ReentrantLock lmasterLock(String key) {
        return lmasterLocks.computeIfAbsent(key, k -> new ReentrantLock());
    }

    /** Forgets the locks of keys no longer held and not locked now (after recovery). */
    void pruneLocks() {
        recordLocks.entrySet().removeIf(e -> !records.containsKey(e.getKey()) && !e.getValue().isLocked());
        lmasterLocks.entrySet().removeIf(e -> !records.containsKey(e.getKey()) && !e.getValue().isLocked());
    }

    AutoCloseable watch(BiConsumer<String, byte[]> listener) {
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }

    void fire(String key, byte[] value) {
        for (BiConsumer<String, byte[]> w : watchers) {
            try {
                w.accept(key, value == null ? null : value.clone());
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(VolatileStore.class).warn("watcher of {} failed", name, e);
            }
        }
    }
}
