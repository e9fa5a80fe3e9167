package org.bladeshare.cluster.db;

import java.util.Optional;

/**
 * A volatile record locked on this node (CTDB's {@code fetch_locked}): no other node can take
 * it until {@link #close()}. Close it on the thread that fetched it.
 */
public interface LockedRecord extends AutoCloseable {
    String key();

    /** The value, empty if the record is empty. */
    Optional<byte[]> data();

    /** The record's RSN as held now. */
    long rsn();

    /** Replaces the value (on this node: the record lives here now). */
    void store(byte[] value);

    /** Empties the record. */
    void delete();

    /** Releases the lock. */
    @Override
    void close();
}
