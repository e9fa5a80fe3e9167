package org.bladeshare.appliance.config;

import org.bladeshare.cluster.db.PersistentDb;
import org.bladeshare.cluster.db.Transaction;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** A stand-in for the cluster's persistent database in unit tests of the stores (single node, no disk). */
public final class InMemoryPersistentDb implements PersistentDb {
    private final TreeMap<String, byte[]> map = new TreeMap<>();
    private final List<BiConsumer<String, byte[]>> watchers = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public synchronized Optional<byte[]> get(String key) {
        return Optional.ofNullable(map.get(key)).map(byte[]::clone);
    }

    @Override
    public synchronized void put(String key, byte[] value) {
        map.put(key, value.clone());
        watchers.forEach(w -> w.accept(key, value));
    }

    @Override
    public synchronized void delete(String key) {
        map.remove(key);
        watchers.forEach(w -> w.accept(key, null));
    }

    /** One writer at a time, so a body always sees what it commits over; a body that throws changes nothing. */
    @Override
    public synchronized <T> T transaction(Function<Transaction, T> body) {
        TreeMap<String, Optional<byte[]>> changes = new TreeMap<>();
        T result = body.apply(new Transaction() {
            @Override
            public Optional<byte[]> get(String key) {
                return changes.containsKey(key) ? changes.get(key).map(byte[]::clone) : InMemoryPersistentDb.this.get(key);
            }

            @Override
            public void put(String key, byte[] value) {
                changes.put(key, Optional.of(value.clone()));
            }

            @Override
            public void delete(String key) {
                changes.put(key, Optional.empty());
            }
        });
        changes.forEach((k, v) -> {
            if (v.isPresent()) {
                put(k, v.get());
            } else {
                delete(k);
            }
        });
        return result;
    }

    @Override
    public synchronized SortedMap<String, byte[]> snapshot() {
        return new TreeMap<>(map);
    }

    @Override
    public AutoCloseable watch(BiConsumer<String, byte[]> listener) {
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }
}
