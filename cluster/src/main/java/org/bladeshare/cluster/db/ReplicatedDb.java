package org.bladeshare.cluster.db;

import java.util.Optional;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/**
 * Small state every node reads often (e.g. TCP connection lists for tickle ACKs), copied to
 * every node and written without a cluster-wide transaction: a write applies here at once and
 * reaches the other members a moment later; concurrent writes of one key resolve to the newest
 * (Lamport clock, then PNN) everywhere. Kept in memory; a joining node receives a full copy.
 */
public interface ReplicatedDb {
    String name();

    Optional<byte[]> get(String key);

    void put(String key, byte[] value);

    void delete(String key);

    SortedMap<String, byte[]> snapshot();

    /** Calls the listener with (key, value) for every change applied here, value null for a delete. */
    AutoCloseable watch(BiConsumer<String, byte[]> listener);
}
