package org.bladeshare.smb.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.bladeshare.smb.state.StateAssertions.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every single-file, single-lease or single-handle operation locks exactly one record, once: the
 * property that lets a CTDB-style store serve a node's own files with no cluster messages.
 */
class OneRecordPerOperationTest {

    /** Records the key of every update and read. */
    private static final class AuditingStore implements RecordStore {
        private final InMemoryRecordStore inner = new InMemoryRecordStore();
        final List<String> touched = new ArrayList<>();

        @Override
        public <T> T update(String key, Update<T> update) {
            touched.add(key);
            return inner.update(key, update);
        }

        @Override
        public Optional<byte[]> read(String key) {
            touched.add(key);
            return inner.read(key);
        }

        @Override
        public List<String> keys() {
            return inner.keys();
        }

        List<String> drain() {
            List<String> t = List.copyOf(touched);
            touched.clear();
            return t;
        }
    }

    private final FileKey file = new FileKey(1, 2);

    @Test
    void shareModeOperations() {
        var store = new AuditingStore();
        var t = new RecordShareModeTable(store);
        t.tryAddOpen(file, OpenEntry.of(owner(1, 1), 1, ShareAccess.ALL));
        assertEquals(List.of(file.key()), store.drain());
        t.grantOplock(file, 1, OplockLevel.BATCH, OplockLevel.BATCH);
        assertEquals(List.of(file.key()), store.drain());
        t.startOplockBreak(file, 1, OplockLevel.LEVEL_II, 1);
        t.acknowledgeOplockBreak(file, 1, OplockLevel.LEVEL_II);
        t.setDeleteOnClose(file, 1, true);
        t.removeOpen(file, 1);
        assertEquals(List.of(file.key(), file.key(), file.key(), file.key()), store.drain());
    }

    @Test
    void lockOperations() {
        var store = new AuditingStore();
        var t = new RecordByteRangeLockTable(store);
        t.lock(file, owner(1, 1), List.of(LockRequest.exclusive(0, 1), LockRequest.shared(5, 1)), Optional.empty());
        t.checkIo(file, 1, 0, 10, true);
        t.unlock(file, owner(1, 1), List.of(new LockRange(0, 1), new LockRange(5, 1)));
        assertEquals(List.of(file.key(), file.key(), file.key()), store.drain());
    }

    @Test
    void leaseAndDurableOperations() {
        var store = new AuditingStore();
        var leases = new RecordLeaseTable(store);
        LeaseKey key = new LeaseKey(UUID.randomUUID(), UUID.randomUUID());
        leases.requestLease(new LeaseRequest(key, file, "a", owner(1, 1), LeaseState.R, LeaseState.R, 2, 0));
        leases.startBreak(key, LeaseState.NONE, 1);
        assertEquals(List.of(key.key(), key.key()), store.drain());
        var durable = new RecordDurableHandleTable(store);
        DurableKey dk = DurableKey.v2(1, UUID.randomUUID());
        durable.register(new DurableHandle(dk, UUID.randomUUID(), "u", file, "a", 0, 0, OplockLevel.BATCH, null, 1,
            owner(1, 1), 0));
        durable.disconnect(dk, 0);
        assertEquals(List.of(dk.key(), dk.key()), store.drain());
    }
}
