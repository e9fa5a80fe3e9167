package org.bladeshare.cluster.db;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * LMASTER choice: the key's hash over the active nodes (CTDB's {@code ctdb_lmaster}, which
 * hashes over the VNN map). Every node computes it from the same active list, set by recovery.
 */
public final class Lmaster {
    private Lmaster() {
    }

    /** FNV-1a, 32 bit, over the key's UTF-8 bytes. */
    public static int hash(String key) {
        int h = 0x811c9dc5;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    /** The LMASTER's PNN among {@code active} (PNNs in ascending order). */
    public static int of(String key, List<Integer> active) {
        if (active.isEmpty()) {
            throw new IllegalStateException("no active node to be LMASTER");
        }
        return active.get(Integer.remainderUnsigned(hash(key), active.size()));
    }
}
