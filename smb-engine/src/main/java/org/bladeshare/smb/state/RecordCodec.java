package org.bladeshare.smb.state;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a pure transition over a typed record stored as bytes: decode, apply, encode, and delete the
 * record when the new value is empty (so tables leave nothing behind for closed files).
 */
final class RecordCodec<V> {
    private final RecordStore store;
    private final V empty;
    private final Function<byte[], V> decode;
    private final Function<V, byte[]> encode;
    private final Function<V, Boolean> isEmpty;

    RecordCodec(RecordStore store, V empty, Function<byte[], V> decode, Function<V, byte[]> encode,
                Function<V, Boolean> isEmpty) {
        if (store == null) {
            throw new IllegalArgumentException("record store is required");
        }
        this.store = store;
        this.empty = empty;
        this.decode = decode;
        this.encode = encode;
        this.isEmpty = isEmpty;
    }

    <T> T modify(String key, Function<V, Transition<V, T>> rule) {
        return store.update(key, current -> {
            V before = current.map(decode).orElse(empty);
            Transition<V, T> t = rule.apply(before);
            if (t.next() == before || t.next().equals(before)) {
                return new RecordStore.Keep<>(t.result());
            }
            if (isEmpty.apply(t.next())) {
                return current.isPresent() ? new RecordStore.Delete<>(t.result()) : new RecordStore.Keep<>(t.result());
            }
            return new RecordStore.Store<>(encode.apply(t.next()), t.result());
        });
    }

    V get(String key) {
        return store.read(key).map(decode).orElse(empty);
    }

    Optional<V> find(String key) {
        return store.read(key).map(decode);
    }

    List<String> keys() {
        return store.keys();
    }
}
