package org.bladeshare.cluster.db;

import java.util.Optional;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A persistent database: replicated to every active node and transactional. A write
 * returns only when it is committed on every active node; it survives any single node's
 * crash (CTDB's persistent databases). {@link #put} and {@link #delete} are one-record
 * transactions; {@link #transaction} changes several records atomically.
 */
public interface PersistentDb {
    String name();

    Optional<byte[]> get(String key);

    /** Stores the value cluster-wide; returns once every active node has committed it. */
    void put(String key, byte[] value);

    /** Deletes the key cluster-wide; returns once every active node has committed it. */
    void delete(String key);

    /**
     * Runs {@code body} and commits every change it made through the {@link Transaction} as
     * one transaction: on every active node either all of them or none, under one sequence
     * number; returns {@code body}'s result once every active node has committed it.
     *
     * <p>Records the body read must be unchanged when it commits; if another writer changed
     * one in between, the body runs again on the new values (up to
     * {@value PersistentLimits#MAX_ATTEMPTS} times), so it must do nothing but compute and
     * use the transaction. A body that throws commits nothing.
     *
     * @throws IllegalArgumentException a null or invalid key, a null value, or a transaction
     *                                  over the size limits of {@link PersistentLimits}
     * @throws org.bladeshare.cluster.ClusterException the transaction could not be committed
     *                                  (nothing of it is on any node, unless the message says its
     *                                  outcome is unknown: then all of it or none is)
     */
    <T> T transaction(Function<Transaction, T> body);

    /** A consistent copy of every record, sorted by key. */
    SortedMap<String, byte[]> snapshot();

    /**
     * Calls the listener with (key, value) after every change committed on this node,
     * value null for a delete. Returns a handle that stops the watch when closed.
     */
    AutoCloseable watch(BiConsumer<String, byte[]> listener);
}
