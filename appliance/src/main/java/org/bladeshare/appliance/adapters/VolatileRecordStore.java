package org.bladeshare.appliance.adapters;

import org.bladeshare.cluster.db.LockedRecord;
import org.bladeshare.cluster.db.VolatileDb;
import org.bladeshare.smb.state.RecordStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SMB engine's record store over one of the cluster's volatile databases: each update
 * fetch-locks its record (migrating it to this node, CTDB's fetch_locked), applies the pure
 * update function to it, and stores or deletes it before the lock is released. A record used
 * from one node only costs no cluster messages after its first migration.
 */
public final class VolatileRecordStore implements RecordStore {
    private final VolatileDb db;

    public VolatileRecordStore(VolatileDb db) {
        this.db = db;
    }

    @Override
    public <T> T update(String key, Update<T> update) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("record key is empty");
        }
        try (LockedRecord record = db.fetchLocked(key)) {
            Change<T> change = update.apply(record.data());
            switch (change) {
                case Store<T> s -> record.store(s.value());
                case Delete<T> d -> record.delete();
                case Keep<T> k -> { }
            }
            return change.result();
        }
    }

    @Override
    public Optional<byte[]> read(String key) {
        return db.fetch(key);
    }

    @Override
    public List<String> keys() {
        return new ArrayList<>(db.traverse().keySet());
    }
}
