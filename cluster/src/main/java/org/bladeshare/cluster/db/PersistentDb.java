package org.bladeshare.cluster.db;

import java.util.Optional;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/**
 * A persistent database: replicated to every active node and transactional. A write
 * returns only when it is committed on every active node; it survives any single node's
 * crash (CTDB's persistent databases).
 */
public interface PersistentDb {
    String name();

    Optional<byte[]> get(String key);

    /** Stores the value cluster-wide; returns once every active node has committed it. */
    void put(String key, byte[] value);

    /** Deletes the key cluster-wide; returns once every active node has committed it. */
    void delete(String key);

    /** A consistent copy of every record, sorted by key. */
    SortedMap<String, byte[]> snapshot();

    /**
     * Calls the listener with (key, value) after every change committed on this node,
     * value null for a delete. Returns a handle that stops the watch when closed.
     */
    AutoCloseable watch(BiConsumer<String, byte[]> listener);
}
