package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.bladeshare.smb.state.StateAssertions.assertStatus;
import static org.bladeshare.smb.state.StateAssertions.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link ByteRangeLockTable} must have ([MS-FSA] 2.1.5.7 lock conflicts and
 * ranges, 2.1.4.10 I/O checks, [MS-SMB2] 3.3.5.14 unlock and blocking locks). Extend it with a
 * factory for the table under test.
 */
public abstract class ByteRangeLockTableContract {
    protected static final long MAX = -1L; // 2^64 - 1 as unsigned

    protected final FileKey file = new FileKey(1, 77);
    protected final FileKey other = new FileKey(1, 78);
    protected final OpenOwner a = owner(1, 1);
    protected final OpenOwner b = owner(2, 2);
    protected final OpenOwner c = owner(2, 3);
    protected ByteRangeLockTable table;

    /** A new, empty table. */
    protected abstract ByteRangeLockTable newTable();

    @BeforeEach
    public void setUpTable() {
        table = newTable();
    }

    private int lock(OpenOwner o, LockRequest... q) {
        return table.lock(file, o, List.of(q), Optional.empty()).status();
    }

    private int lockWaiting(OpenOwner o, long asyncId, LockRequest... q) {
        return table.lock(file, o, List.of(q), Optional.of(asyncId)).status();
    }

    private UnlockResult unlock(OpenOwner o, long offset, long length) {
        return table.unlock(file, o, List.of(new LockRange(offset, length)));
    }

    @Test
    public void overlappingExclusiveLocksConflictAdjacentOnesDoNot() {
        assertStatus(NtStatus.SUCCESS, lock(a, LockRequest.exclusive(100, 10)));
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(b, LockRequest.exclusive(109, 1)));
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(b, LockRequest.shared(90, 11)));
        assertStatus(NtStatus.SUCCESS, lock(b, LockRequest.exclusive(110, 5)), "starts where the other ends");
        assertStatus(NtStatus.SUCCESS, lock(b, LockRequest.exclusive(90, 10)), "ends where the other starts");
        assertStatus(NtStatus.SUCCESS, table.lock(other, b, List.of(LockRequest.exclusive(100, 10)), Optional.empty())
            .status(), "another file is independent");
    }

    @Test
    public void sharedLocksStackButBlockExclusive() {
        assertStatus(NtStatus.SUCCESS, lock(a, LockRequest.shared(0, 100)));
        assertStatus(NtStatus.SUCCESS, lock(b, LockRequest.shared(50, 100)));
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(c, LockRequest.exclusive(99, 1)));
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(a, LockRequest.exclusive(10, 1)), "even the owner's own shared lock");
    }

    @Test
    public void sameOpenMayStackSharedOnItsExclusiveButNotExclusiveTwice() {
        assertStatus(NtStatus.SUCCESS, lock(a, LockRequest.exclusive(0, 10)));
        assertStatus(NtStatus.SUCCESS, lock(a, LockRequest.shared(0, 10)));
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(a, LockRequest.exclusive(5, 1)));
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(b, LockRequest.shared(0, 10)));
    }

    @Test
    public void rangesWrappingPast2To64AreInvalid() {
        assertStatus(StateStatus.INVALID_LOCK_RANGE, lock(a, LockRequest.exclusive(MAX, 2)));
        assertStatus(StateStatus.INVALID_LOCK_RANGE, lock(a, LockRequest.exclusive(2, MAX)));
        assertStatus(NtStatus.SUCCESS, lock(a, LockRequest.exclusive(1, MAX)), "1 + (2^64 - 1) ends exactly at 2^64");
        unlock(a, 1, MAX);
        assertStatus(NtStatus.SUCCESS, lock(a, LockRequest.exclusive(MAX - 9, 10)), "ends exactly at 2^64");
        assertStatus(NtStatus.SUCCESS, lock(b, LockRequest.exclusive(0, MAX - 9)), "just below it");
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(b, LockRequest.exclusive(MAX, 1)), "the last byte is locked");
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(c, LockRequest.exclusive(MAX, 0)),
            "a zero-length lock at the last byte is inside the range that ends at 2^64");
        assertStatus(NtStatus.SUCCESS, lock(c, LockRequest.exclusive(MAX - 9, 0)), "at the range's start it is not");
    }

    @Test
    public void invalidRangeInAMultiElementRequestTakesNothing() {
        assertStatus(StateStatus.INVALID_LOCK_RANGE,
            lock(a, LockRequest.exclusive(0, 10), LockRequest.exclusive(0x8000_0000_0000_0000L, 0x8000_0000_0000_0001L)));
        assertTrue(table.get(file).locks().isEmpty());
    }

    @Test
    public void zeroLengthLocksConflictOnlyStrictlyInsideARange() {
        assertStatus(NtStatus.SUCCESS, lock(a, LockRequest.exclusive(100, 10)));
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(b, LockRequest.exclusive(105, 0)));
        assertStatus(NtStatus.SUCCESS, lock(b, LockRequest.exclusive(100, 0)), "at the start");
        assertStatus(NtStatus.SUCCESS, lock(b, LockRequest.exclusive(110, 0)), "at the end");
        assertStatus(NtStatus.SUCCESS, lock(c, LockRequest.exclusive(100, 0)), "zero-length locks do not collide");
        assertStatus(NtStatus.SUCCESS, table.checkIo(file, c.openId(), 100, 0, true));
    }

    @Test
    public void multiElementRequestIsAllOrNothing() {
        assertStatus(NtStatus.SUCCESS, lock(a, LockRequest.exclusive(50, 10)));
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(b, LockRequest.exclusive(0, 10), LockRequest.exclusive(55, 1)));
        assertStatus(NtStatus.SUCCESS, lock(c, LockRequest.exclusive(0, 10)), "the first element was not kept");
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(b, LockRequest.exclusive(20, 10), LockRequest.exclusive(25, 10)),
            "overlapping elements of one request conflict with each other");
        assertStatus(NtStatus.INVALID_PARAMETER, table.lock(file, b, List.of(), Optional.empty()).status());
    }

    @Test
    public void unlockNeedsAnExactMatchOfTheSameOpen() {
        lock(a, LockRequest.exclusive(0, 10));
        assertStatus(NtStatus.RANGE_NOT_LOCKED, unlock(a, 0, 9).status());
        assertStatus(NtStatus.RANGE_NOT_LOCKED, unlock(a, 1, 10).status());
        assertStatus(NtStatus.RANGE_NOT_LOCKED, unlock(b, 0, 10).status(), "another open's lock");
        assertStatus(NtStatus.SUCCESS, unlock(a, 0, 10).status());
        assertStatus(NtStatus.RANGE_NOT_LOCKED, unlock(a, 0, 10).status(), "already unlocked");
        assertTrue(table.get(file).isEmpty(), "no record is left behind");
    }

    @Test
    public void unlockStopsAtTheFirstRangeNotLocked() {
        lock(a, LockRequest.exclusive(0, 10));
        lock(a, LockRequest.exclusive(20, 10));
        UnlockResult r = table.unlock(file, a, List.of(new LockRange(0, 10), new LockRange(40, 1), new LockRange(20, 10)));
        assertStatus(NtStatus.RANGE_NOT_LOCKED, r.status());
        assertEquals(List.of(new LockRange(20, 10)), table.get(file).locks().stream().map(HeldLock::range).toList());
    }

    @Test
    public void ioIsCheckedAgainstLocks() {
        lock(a, LockRequest.exclusive(0, 100));
        lock(b, LockRequest.shared(200, 100));
        assertStatus(NtStatus.FILE_LOCK_CONFLICT, table.checkIo(file, b.openId(), 50, 10, false));
        assertStatus(NtStatus.FILE_LOCK_CONFLICT, table.checkIo(file, b.openId(), 99, 2, true));
        assertStatus(NtStatus.SUCCESS, table.checkIo(file, a.openId(), 0, 100, false), "the owner reads");
        assertStatus(NtStatus.SUCCESS, table.checkIo(file, a.openId(), 0, 100, true), "the owner writes");
        assertStatus(NtStatus.SUCCESS, table.checkIo(file, a.openId(), 250, 10, false), "shared locks allow reads");
        assertStatus(NtStatus.FILE_LOCK_CONFLICT, table.checkIo(file, a.openId(), 250, 10, true));
        assertStatus(NtStatus.FILE_LOCK_CONFLICT, table.checkIo(file, b.openId(), 250, 10, true),
            "a shared lock blocks its own open's writes too");
        assertStatus(NtStatus.SUCCESS, table.checkIo(file, b.openId(), 100, 100, true), "between the locks");
        assertStatus(NtStatus.SUCCESS, table.checkIo(file, b.openId(), MAX - 5, 100, true), "clamped at 2^64");
    }

    @Test
    public void blockingLockWaitsAndIsGrantedByTheUnlockThatFreesIt() {
        lock(a, LockRequest.exclusive(0, 10));
        assertStatus(NtStatus.PENDING, lockWaiting(b, 501, LockRequest.exclusive(5, 10)));
        assertEquals(1, table.get(file).pending().size());
        UnlockResult r = unlock(a, 0, 10);
        assertStatus(NtStatus.SUCCESS, r.status());
        assertEquals(List.of(new LockWaiter(file, new PendingLock(b, 501, List.of(LockRequest.exclusive(5, 10))))),
            r.granted());
        assertTrue(table.get(file).pending().isEmpty());
        assertStatus(NtStatus.FILE_LOCK_CONFLICT, table.checkIo(file, a.openId(), 5, 1, false), "now b holds it");
    }

    @Test
    public void waiterStaysWhileStillBlockedAndCompatibleWaitersGoTogether() {
        lock(a, LockRequest.exclusive(0, 10));
        lock(a, LockRequest.exclusive(20, 10));
        lockWaiting(b, 1, LockRequest.shared(0, 30));
        lockWaiting(c, 2, LockRequest.shared(0, 5));
        assertTrue(unlock(a, 0, 10).granted().stream().map(w -> w.lock().asyncId()).toList().equals(List.of(2L)),
            "b still overlaps the lock at 20, c is free");
        UnlockResult r = unlock(a, 20, 10);
        assertEquals(List.of(1L), r.granted().stream().map(w -> w.lock().asyncId()).toList());
        assertEquals(2, table.get(file).locks().size(), "both shared locks held");
    }

    @Test
    public void duplicateAsyncIdOnTheSameConnectionIsRejected() {
        lock(a, LockRequest.exclusive(0, 10));
        assertStatus(NtStatus.PENDING, lockWaiting(b, 9, LockRequest.exclusive(0, 1)));
        assertStatus(NtStatus.INVALID_PARAMETER, lockWaiting(b, 9, LockRequest.exclusive(2, 1)));
    }

    @Test
    public void cancelRemovesTheWaiter() {
        lock(a, LockRequest.exclusive(0, 10));
        lockWaiting(b, 7, LockRequest.exclusive(0, 10));
        assertTrue(table.cancel(file, b.node(), b.connectionId(), 8).isEmpty(), "wrong async id");
        assertEquals(7, table.cancel(file, b.node(), b.connectionId(), 7).orElseThrow().lock().asyncId());
        assertTrue(unlock(a, 0, 10).granted().isEmpty());
        assertTrue(table.get(file).isEmpty());
    }

    @Test
    public void closingAnOpenReleasesItsLocksGrantsWaitersAndDropsItsOwnWaiters() {
        lock(a, LockRequest.exclusive(0, 10));
        lock(b, LockRequest.exclusive(20, 10));
        lockWaiting(c, 3, LockRequest.exclusive(0, 10));
        lockWaiting(a, 4, LockRequest.exclusive(20, 10));
        UnlockResult r = table.releaseOpen(file, a.openId());
        assertEquals(List.of(3L), r.granted().stream().map(w -> w.lock().asyncId()).toList());
        assertEquals(List.of(4L), r.dropped().stream().map(w -> w.lock().asyncId()).toList());
        assertEquals(List.of(b, c), table.get(file).locks().stream().map(HeldLock::owner).toList());
    }

    @Test
    public void deadNodeReleasesEverythingItHeldInEveryFile() {
        lock(b, LockRequest.exclusive(0, 10));
        table.lock(other, c, List.of(LockRequest.shared(0, 10)), Optional.empty());
        lockWaiting(a, 5, LockRequest.exclusive(0, 10));
        UnlockResult r = table.releaseOwners(OwnerFilter.node(2));
        assertEquals(List.of(new LockWaiter(file, new PendingLock(a, 5, List.of(LockRequest.exclusive(0, 10))))),
            r.granted());
        assertTrue(table.get(other).isEmpty());
        assertEquals(List.of(a), table.get(file).locks().stream().map(HeldLock::owner).toList());
        assertTrue(table.releaseOwners(OwnerFilter.session(1, 999)).granted().isEmpty());
        table.releaseOwners(OwnerFilter.session(1, a.sessionId()));
        assertTrue(table.get(file).isEmpty(), "logoff released the session's locks");
    }

    @Test
    public void reassignedOpenKeepsItsLocks() {
        lock(a, LockRequest.exclusive(0, 10));
        OpenOwner moved = new OpenOwner(3, 30, 300, a.openId());
        assertStatus(NtStatus.SUCCESS, table.reassignOpen(file, a.openId(), moved));
        assertEquals(List.of(moved), table.get(file).locks().stream().map(HeldLock::owner).toList());
        assertStatus(NtStatus.LOCK_NOT_GRANTED, lock(b, LockRequest.exclusive(0, 1)));
        table.releaseOwners(OwnerFilter.node(1));
        assertEquals(1, table.get(file).locks().size(), "the old node's cleanup no longer touches it");
        assertStatus(NtStatus.SUCCESS, unlock(moved, 0, 10).status());
    }

    @Test
    public void concurrentExclusiveLocksGrantExactlyOne() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                OpenOwner o = owner(1, 100 + i);
                tasks.add(() -> lock(o, LockRequest.exclusive(1000, 1)));
            }
            int granted = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                granted += f.get() == NtStatus.SUCCESS ? 1 : 0;
            }
            assertEquals(1, granted);
        } finally {
            pool.shutdownNow();
        }
    }
}
