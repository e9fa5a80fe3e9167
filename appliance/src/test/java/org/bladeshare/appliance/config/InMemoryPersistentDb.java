package org.bladeshare.appliance.config;

import org.bladeshare.cluster.db.PersistentDb;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

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
