package org.bladeshare.smb.state;

import java.util.List;
import java.util.Optional;

/**
 * The storage seam under every state table (Samba's dbwrap): records of bytes keyed by a string,
 * each modified atomically on its own. A clustered implementation maps {@link #update} to
 * CTDB's fetch-locked / store / unlock on ONE record (migrating it to this node), and {@link #keys}
 * to a traverse. No operation ever needs two records locked at once.
 */
public interface RecordStore {

    /** What an update does to its record, and what it answers to the caller. */
    sealed interface Change<T> {
        T result();
    }

    /** Leave the record as it is. */
    record Keep<T>(T result) implements Change<T> {
    }

    /** Replace the record's value. */
    record Store<T>(byte[] value, T result) implements Change<T> {
    }

    /** Remove the record. */
    record Delete<T>(T result) implements Change<T> {
    }

    /** A pure function of the current value (empty when there is none) to a change; may run more than once. */
    @FunctionalInterface
    interface Update<T> {
        Change<T> apply(Optional<byte[]> current);
    }

    /** Applies {@code update} to the record under its lock and returns the change's result. */
    <T> T update(String key, Update<T> update);

    /** The record's value now, if any. */
    Optional<byte[]> read(String key);

    /** A snapshot of the keys of non-empty records (for bulk cleanup, e.g. after a node died). */
    List<String> keys();
}
