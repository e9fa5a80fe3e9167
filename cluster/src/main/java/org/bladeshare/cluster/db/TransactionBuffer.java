package org.bladeshare.cluster.db;

import org.bladeshare.cluster.wire.WireMessage.Change;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A transaction while its body runs on the writer's node: its writes (last one per key wins)
 * and the hash of every committed value it read, which the coordinator checks before it
 * commits (optimistic concurrency instead of CTDB's cluster-wide g_lock).
 */
final class TransactionBuffer implements Transaction {
    private final PersistentStore store;
    private final Map<String, byte[]> writes = new LinkedHashMap<>();
    private final Map<String, Long> reads = new TreeMap<>();
    private long bytes;
    private boolean closed;

    TransactionBuffer(PersistentStore store) {
        this.store = store;
    }

    @Override
    public Optional<byte[]> get(String key) {
        open();
        PersistentLimits.requireKey(key);
        if (writes.containsKey(key)) {
            byte[] own = writes.get(key);
            return own == null ? Optional.empty() : Optional.of(own.clone());
        }
        Optional<byte[]> committed = store.get(key);
        reads.putIfAbsent(key, PersistentStore.hashOrZero(key, committed.orElse(null)));
        return committed;
    }

    @Override
    public void put(String key, byte[] value) {
        open();
        int keyBytes = PersistentLimits.requireKey(key);
        PersistentLimits.requireValue(key, value);
        record(key, value.clone(), keyBytes + value.length);
    }

    @Override
    public void delete(String key) {
        open();
        record(key, null, PersistentLimits.requireKey(key));
    }

    private void record(String key, byte[] value, int size) {
        if (bytes + size > PersistentLimits.MAX_TRANSACTION_BYTES) {
            throw new IllegalArgumentException("transaction on " + store.name() + " exceeds "
                    + PersistentLimits.MAX_TRANSACTION_BYTES + " bytes of keys and values");
        }
        bytes += size; // a key written twice counts twice: the bound stays simple and safe
        writes.remove(key); // re-insert: the change keeps the order of its last write
        writes.put(key, value);
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the transaction on " + store.name() + " has ended");
        }
    }

    /** Ends the body: no more reads or writes through this handle. */
    void close() {
        closed = true;
    }

    Map<String, Long> reads() {
        return reads;
    }

    List<Change> changes() {
        List<Change> out = new ArrayList<>(writes.size());
        writes.forEach((k, v) -> out.add(new Change(k, v)));
        return out;
    }
}
