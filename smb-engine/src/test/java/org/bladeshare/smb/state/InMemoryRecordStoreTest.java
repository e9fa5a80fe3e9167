package org.bladeshare.smb.state;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.bladeshare.smb.state.StateAssertions.owner;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryRecordStoreTest {

    @Test
    void keepStoreAndDelete() {
        var store = new InMemoryRecordStore();
        assertEquals("none", store.update("k", cur -> new RecordStore.Keep<>(cur.isPresent() ? "some" : "none")));
        assertEquals(0, store.size());
        store.update("k", cur -> new RecordStore.Store<>(new byte[] {1, 2}, null));
        assertArrayEquals(new byte[] {1, 2}, store.read("k").orElseThrow());
        assertEquals(List.of("k"), store.keys());
        store.update("k", cur -> new RecordStore.Delete<>(null));
        assertEquals(Optional.empty(), store.read("k"));
    }

    @Test
    void failingUpdateLeavesTheRecordAsItWas() {
        var store = new InMemoryRecordStore();
        store.update("k", cur -> new RecordStore.Store<>(new byte[] {7}, null));
        assertThrows(IllegalStateException.class, () -> store.update("k", cur -> {
            throw new IllegalStateException("bug in a rule");
        }));
        assertArrayEquals(new byte[] {7}, store.read("k").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> store.update("", cur -> new RecordStore.Keep<>(null)));
    }

    @Test
    void readReturnsACopy() {
        var store = new InMemoryRecordStore();
        store.update("k", cur -> new RecordStore.Store<>(new byte[] {7}, null));
        store.read("k").orElseThrow()[0] = 9;
        assertArrayEquals(new byte[] {7}, store.read("k").orElseThrow());
    }

    @Test
    void tablesLeaveNoRecordsForClosedFiles() {
        var store = new InMemoryRecordStore();
        var shareModes = new RecordShareModeTable(store);
        var file = new FileKey(1, 2);
        shareModes.tryAddOpen(file, OpenEntry.of(owner(1, 1), 1, ShareAccess.ALL));
        assertEquals(List.of(file.key()), store.keys());
        shareModes.removeOpen(file, 1);
        assertEquals(0, store.size());
        var locks = new RecordByteRangeLockTable(store);
        locks.lock(file, owner(1, 1), List.of(LockRequest.shared(0, 1)), Optional.empty());
        locks.releaseOpen(file, 1);
        assertTrue(store.keys().isEmpty());
    }
}
