package org.bladeshare.cluster.db;

import java.util.Optional;

/**
 * The changes of one persistent transaction while its body runs (CTDB's
 * {@code ctdb_transaction_start/fetch/store}). Reads see the transaction's own writes; nothing
 * is visible to anyone else until the whole transaction commits.
 */
public interface Transaction {
    /** The record as this transaction sees it: its own write if it made one, else the committed value. */
    Optional<byte[]> get(String key);

    /** Stores the value when the transaction commits. */
    void put(String key, byte[] value);

    /** Deletes the key when the transaction commits. */
    void delete(String key);
}
