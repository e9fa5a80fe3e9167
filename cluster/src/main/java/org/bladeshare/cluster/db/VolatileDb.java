package org.bladeshare.cluster.db;

import java.util.Optional;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/**
 * A volatile clustered database with CTDB's semantics (open files, share modes, locks,
 * leases): each record lives on the node that last used it; {@link #fetchLocked} migrates it
 * here when it is elsewhere (request to its LMASTER, forwarded to its DMASTER, shipped with
 * RSN+1) and costs no messages while it stays here. Rebuilt by recovery after a membership
 * change; emptied when the whole cluster restarts.
 */
public interface VolatileDb {
    String name();

    /** Locks the record on this node, migrating it here first if needed. */
    LockedRecord fetchLocked(String key);

    /** Reads a record (migrating it here, as CTDB's fetch does). */
    default Optional<byte[]> fetch(String key) {
        try (LockedRecord r = fetchLocked(key)) {
            return r.data();
        }
    }

    /** Every non-empty record of the cluster, read from each record's DMASTER (CTDB's traverse). */
    SortedMap<String, byte[]> traverse();

    /** Calls the listener with (key, value) after each store or delete done on this node. */
    AutoCloseable watch(BiConsumer<String, byte[]> listener);
}
