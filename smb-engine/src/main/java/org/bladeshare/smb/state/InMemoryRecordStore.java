package org.bladeshare.smb.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A single-node {@link RecordStore}: a concurrent map whose per-key compute is the record lock. */
public final class InMemoryRecordStore implements RecordStore {
    private final ConcurrentHashMap<String, byte[]> records = new ConcurrentHashMap<>();

    @Override
    public <T> T update(String key, Update<T> update) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("record key must not be empty");
        }
        @SuppressWarnings("unchecked")
        T[] result = (T[]) new Object[1];
        records.compute(key, (k, current) -> {
            Change<T> change = update.apply(Optional.ofNullable(current).map(byte[]::clone));
            result[0] = change.result();
            return switch (change) {
                case Keep<T> keep -> current;
                case Store<T> store -> store.value().clone();
                case Delete<T> delete -> null;
            };
        });
        return result[0];
    }

    @Override
    public Optional<byte[]> read(String key) {
        return Optional.ofNullable(records.get(key)).map(byte[]::clone);
    }

    @Override
    public List<String> keys() {
        return new ArrayList<>(records.keySet());
    }

    /** How many records are stored (tests check that emptied records are removed). */
    public int size() {
        return records.size();
    }
}
