package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.bladeshare.smb.state.StateAssertions.assertStatus;
import static org.bladeshare.smb.state.StateAssertions.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A full record refuses more entries with STATUS_INSUFFICIENT_RESOURCES, and a full record still decodes. */
class RecordLimitsTest {

    @Test
    void fullShareModeRecordRefusesAnotherOpen() {
        List<OpenEntry> opens = LongStream.range(0, ShareModeRecord.MAX_OPENS)
            .mapToObj(i -> OpenEntry.of(owner(1, i), 0x80, ShareAccess.ALL)).toList();
        ShareModeRecord full = new ShareModeRecord(false, opens);
        assertStatus(NtStatus.INSUFFICIENT_RESOURCES,
            full.add(OpenEntry.of(owner(1, -1), 0x80, ShareAccess.ALL)).result().status());
        assertEquals(full, ShareModeRecord.decode(full.encode()), "the largest record round-trips");
    }

    @Test
    void fullLockRecordRefusesAnotherLock() {
        List<HeldLock> locks = new ArrayList<>();
        for (long i = 0; i < LockRecord.MAX_ENTRIES - 1; i++) {
            locks.add(new HeldLock(owner(1, 1), new LockRange(i, 1), false));
        }
        LockRecord almost = new LockRecord(locks, List.of());
        assertStatus(NtStatus.SUCCESS,
            almost.lock(owner(1, 1), List.of(LockRequest.shared(-2L, 1)), null).result().status());
        LockRecord full = almost.lock(owner(1, 1), List.of(LockRequest.shared(-2L, 1)), null).next();
        assertStatus(NtStatus.INSUFFICIENT_RESOURCES,
            full.lock(owner(1, 1), List.of(LockRequest.shared(-3L, 1)), null).result().status());
        assertEquals(full, LockRecord.decode(full.encode()));
    }
}
