package org.bladeshare.smb.state;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RecordStore} that runs every update twice, discarding the first run, as a clustered store
 * may when a record migrates away mid-update. Tables over it pass their contracts only if their
 * update functions are pure (no side effects outside the returned change).
 */
public final class RetryingRecordStore implements RecordStore {
    private final RecordStore inner;
    private final AtomicInteger updates = new AtomicInteger();

    public RetryingRecordStore(RecordStore inner) {
        this.inner = inner;
    }

    @Override
    public <T> T update(String key, Update<T> update) {
        updates.incrementAndGet();
        return inner.update(key, current -> {
            update.apply(current.map(byte[]::clone));
            return update.apply(current);
        });
    }

    @Override
    public Optional<byte[]> read(String key) {
        return inner.read(key);
    }

    @Override
    public List<String> keys() {
        return inner.keys();
    }

    public int updates() {
        return updates.get();
    }
}
