package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.server.AccessMask;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link ShareModeTable} must have ([MS-FSA] 2.1.5.1.2 share modes, delete
 * pending, [MS-SMB2] 3.3.5.22.1 oplock acknowledgements). Extend it with a factory for the table
 * under test.
 */
public abstract class ShareModeTableContract {
    protected static final int READ = AccessMask.FILE_READ_DATA | AccessMask.FILE_READ_ATTRIBUTES;
    protected static final int WRITE = AccessMask.FILE_WRITE_DATA;
    protected static final int RW = READ | WRITE;

    protected final FileKey file = new FileKey(0x801, 4242);
    protected final FileKey other = new FileKey(0x801, 4243);
    protected ShareModeTable table;

    /** A new, empty table. */
    protected abstract ShareModeTable newTable();

    @BeforeEach
    public void setUpTable() {
        table = newTable();
    }

    private int add(long openId, int access, int share) {
        return table.tryAddOpen(file, OpenEntry.of(owner(1, openId), access, share)).status();
    }

    @Test
    public void compatibleOpensAreAllRecorded() {
        assertStatus(NtStatus.SUCCESS, add(1, READ, ShareAccess.READ));
        assertStatus(NtStatus.SUCCESS, add(2, READ, ShareAccess.READ | ShareAccess.WRITE));
        assertEquals(List.of(1L, 2L), table.get(file).opens().stream().map(OpenEntry::openId).toList());
        assertTrue(table.get(other).opens().isEmpty(), "another file is untouched");
    }

    @Test
    public void writeRefusedWhenAnExistingOpenDoesNotShareWrite() {
        assertStatus(NtStatus.SUCCESS, add(1, READ, ShareAccess.READ));
        assertStatus(NtStatus.SHARING_VIOLATION, add(2, RW, ShareAccess.ALL));
        assertEquals(1, table.get(file).opens().size(), "a refused open is not recorded");
    }

    @Test
    public void newOpenMustShareWhatExistingOpensUse() {
        assertStatus(NtStatus.SUCCESS, add(1, RW, ShareAccess.ALL));
        assertStatus(NtStatus.SHARING_VIOLATION, add(2, READ, ShareAccess.READ), "does not share write");
        assertStatus(NtStatus.SUCCESS, add(3, READ, ShareAccess.READ | ShareAccess.WRITE));
    }

    @Test
    public void deleteAccessNeedsShareDelete() {
        assertStatus(NtStatus.SUCCESS, add(1, READ, ShareAccess.READ | ShareAccess.WRITE));
        assertStatus(NtStatus.SHARING_VIOLATION, add(2, AccessMask.DELETE, ShareAccess.ALL));
        assertStatus(NtStatus.SUCCESS, add(3, READ, ShareAccess.ALL));
        assertStatus(NtStatus.SUCCESS,
            table.tryAddOpen(other, OpenEntry.of(owner(1, 4), AccessMask.DELETE, ShareAccess.ALL)).status());
        assertStatus(NtStatus.SHARING_VIOLATION,
            table.tryAddOpen(other, OpenEntry.of(owner(1, 5), READ, ShareAccess.READ)).status(),
            "the new open does not share the existing DELETE");
    }

    @Test
    public void attributeOnlyOpensNeitherConflictNorAreConflicted() {
        assertStatus(NtStatus.SUCCESS, add(1, RW, 0));
        assertStatus(NtStatus.SUCCESS, add(2, AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE, 0));
        assertStatus(NtStatus.SHARING_VIOLATION, add(3, READ, ShareAccess.ALL));
    }

    @Test
    public void deletePendingRefusesEveryNewOpenUntilCleared() {
        assertStatus(NtStatus.SUCCESS, add(1, AccessMask.DELETE, ShareAccess.ALL));
        assertStatus(NtStatus.SUCCESS, table.setDeletePending(file, 1, true));
        assertStatus(NtStatus.DELETE_PENDING, add(2, READ, ShareAccess.ALL));
        assertStatus(NtStatus.DELETE_PENDING, add(3, AccessMask.FILE_READ_ATTRIBUTES, ShareAccess.ALL));
        assertStatus(NtStatus.SUCCESS, table.setDeletePending(file, 1, false));
        assertStatus(NtStatus.SUCCESS, add(4, READ, ShareAccess.ALL));
    }

    @Test
    public void deletePendingThroughUnknownOpenIsFileClosed() {
        assertStatus(NtStatus.FILE_CLOSED, table.setDeletePending(file, 99, true));
        assertStatus(NtStatus.FILE_CLOSED, table.setDeleteOnClose(file, 99, true));
    }

    @Test
    public void deleteOnCloseMakesFileDeletePendingAndLastCloseDeletesIt() {
        assertStatus(NtStatus.SUCCESS, add(1, AccessMask.DELETE | READ, ShareAccess.ALL));
        assertStatus(NtStatus.SUCCESS, add(2, READ, ShareAccess.ALL));
        assertStatus(NtStatus.SUCCESS, table.setDeleteOnClose(file, 1, true));
        assertStatus(NtStatus.SUCCESS, add(3, READ, ShareAccess.ALL), "not pending before the close");
        CloseResult first = table.removeOpen(file, 1);
        assertTrue(first.removed());
        assertFalse(first.deleteFile(), "others still have it open");
        assertTrue(table.get(file).deletePending());
        assertStatus(NtStatus.DELETE_PENDING, add(4, READ, ShareAccess.ALL));
        assertFalse(table.removeOpen(file, 2).deleteFile());
        CloseResult last = table.removeOpen(file, 3);
        assertTrue(last.lastOpen());
        assertTrue(last.deleteFile(), "the last close of a delete-pending file deletes it");
        assertTrue(table.get(file).isEmpty(), "nothing left once the file is gone");
    }

    @Test
    public void lastCloseWithoutDeleteLeavesNoRecord() {
        add(1, READ, ShareAccess.ALL);
        CloseResult r = table.removeOpen(file, 1);
        assertTrue(r.removed() && r.lastOpen() && !r.deleteFile());
        assertEquals(ShareModeRecord.EMPTY, table.get(file));
        assertFalse(table.removeOpen(file, 1).removed(), "closing twice finds nothing");
    }

    @Test
    public void duplicateOpenIdIsRejected() {
        add(1, READ, ShareAccess.ALL);
        assertThrows(IllegalArgumentException.class, () -> add(1, READ, ShareAccess.ALL));
    }

    @Test
    public void refusedOpenReportsTheRecordForBreakDecisions() {
        table.tryAddOpen(file, OpenEntry.of(owner(1, 1), RW, 0).withOplock(OplockLevel.BATCH));
        OpenResult r = table.tryAddOpen(file, OpenEntry.of(owner(2, 2), READ, ShareAccess.ALL));
        assertStatus(NtStatus.SHARING_VIOLATION, r.status());
        assertEquals(OplockLevel.BATCH, r.record().opens().getFirst().oplockLevel());
    }

    @Test
    public void removeOwnersDropsOnlyTheSelectedNodeOrConnection() {
        table.tryAddOpen(file, OpenEntry.of(owner(1, 1), READ, ShareAccess.ALL));
        table.tryAddOpen(file, OpenEntry.of(owner(2, 2), READ, ShareAccess.ALL));
        table.tryAddOpen(other, OpenEntry.of(owner(2, 3), READ, ShareAccess.ALL).withDeleteOnClose(true));
        List<ReleasedOpens> released = table.removeOwners(OwnerFilter.node(2));
        assertEquals(2, released.size());
        ReleasedOpens ofOther = released.stream().filter(r -> r.file().equals(other)).findFirst().orElseThrow();
        assertTrue(ofOther.deleteFile(), "the dead node's delete-on-close open was the last one");
        assertEquals(List.of(1L), table.get(file).opens().stream().map(OpenEntry::openId).toList());
        assertTrue(table.removeOwners(OwnerFilter.connection(1, 99)).isEmpty(), "wrong connection matches nothing");
        assertEquals(1, table.removeOwners(OwnerFilter.connection(1, 10)).size());
        assertTrue(table.get(file).isEmpty());
    }

    @Test
    public void reassignOpenMovesItToTheNewConnection() {
        add(7, READ, ShareAccess.ALL);
        OpenOwner moved = new OpenOwner(3, 33, 333, 7);
        assertStatus(NtStatus.SUCCESS, table.reassignOpen(file, 7, moved));
        assertEquals(moved, table.get(file).open(7).orElseThrow().owner());
        assertStatus(NtStatus.FILE_CLOSED, table.reassignOpen(file, 8, new OpenOwner(3, 33, 333, 8)));
    }

    @Test
    public void batchOplockOnlyForTheSoleOpen() {
        add(1, RW, ShareAccess.ALL);
        assertEquals(OplockLevel.BATCH, table.grantOplock(file, 1, OplockLevel.BATCH, OplockLevel.BATCH));
        add(2, READ, ShareAccess.ALL);
        assertEquals(OplockLevel.NONE, table.grantOplock(file, 2, OplockLevel.BATCH, OplockLevel.BATCH),
            "nothing while another open's batch oplock is unbroken");
        table.startOplockBreak(file, 1, OplockLevel.LEVEL_II, 1_000);
        table.acknowledgeOplockBreak(file, 1, OplockLevel.LEVEL_II);
        assertEquals(OplockLevel.LEVEL_II, table.grantOplock(file, 2, OplockLevel.BATCH, OplockLevel.BATCH));
        assertEquals(OplockLevel.NONE, table.grantOplock(file, 99, OplockLevel.BATCH, OplockLevel.BATCH), "unknown open");
    }

    @Test
    public void oplockStaysWithinTheCeilingAndStatOpensDoNotCount() {
        add(1, RW, ShareAccess.ALL);
        add(2, AccessMask.FILE_READ_ATTRIBUTES, ShareAccess.ALL);
        assertEquals(OplockLevel.BATCH, table.grantOplock(file, 1, OplockLevel.BATCH, OplockLevel.BATCH),
            "a stat open beside it does not matter");
        assertEquals(OplockLevel.NONE, table.grantOplock(file, 1, OplockLevel.BATCH,
            OplockRules.ceiling(false, true)), "no oplock over byte-range locks");
        assertEquals(OplockLevel.NONE, table.get(file).open(1).orElseThrow().oplockLevel());
        assertThrows(IllegalArgumentException.class, () -> table.grantOplock(file, 1, 0x42, OplockLevel.BATCH));
    }

    @Test
    public void oplockBreakIsRecordedAcknowledgedAndValidated() {
        add(1, RW, ShareAccess.ALL);
        table.grantOplock(file, 1, OplockLevel.BATCH, OplockLevel.BATCH);
        assertStatus(NtStatus.INVALID_OPLOCK_PROTOCOL, table.acknowledgeOplockBreak(file, 1, OplockLevel.LEVEL_II),
            "no break in progress");
        Optional<OplockBreak> b = table.startOplockBreak(file, 1, OplockLevel.LEVEL_II, 5_000);
        assertTrue(b.isPresent());
        assertEquals(new OplockBreak(file, owner(1, 1), OplockLevel.BATCH, OplockLevel.LEVEL_II, 5_000, true), b.get());
        assertTrue(table.startOplockBreak(file, 1, OplockLevel.LEVEL_II, 6_000).isEmpty(), "already breaking");
        assertTrue(table.get(file).open(1).orElseThrow().isBreaking());
        assertStatus(NtStatus.INVALID_PARAMETER, table.acknowledgeOplockBreak(file, 1, OplockLevel.BATCH));
        assertStatus(NtStatus.SUCCESS, table.acknowledgeOplockBreak(file, 1, OplockLevel.LEVEL_II));
        OpenEntry e = table.get(file).open(1).orElseThrow();
        assertEquals(OplockLevel.LEVEL_II, e.oplockLevel());
        assertFalse(e.isBreaking());
        assertStatus(NtStatus.FILE_CLOSED, table.acknowledgeOplockBreak(file, 2, OplockLevel.NONE));
    }

    @Test
    public void acknowledgingAboveTheBreakLevelLosesTheOplock() {
        add(1, RW, ShareAccess.ALL);
        table.grantOplock(file, 1, OplockLevel.EXCLUSIVE, OplockLevel.BATCH);
        table.startOplockBreak(file, 1, OplockLevel.NONE, 5_000);
        assertStatus(NtStatus.INVALID_OPLOCK_PROTOCOL, table.acknowledgeOplockBreak(file, 1, OplockLevel.LEVEL_II));
        assertEquals(OplockLevel.NONE, table.get(file).open(1).orElseThrow().oplockLevel());
    }

    @Test
    public void levelTwoBreakToNoneNeedsNoAcknowledgement() {
        add(1, READ, ShareAccess.ALL);
        add(2, READ, ShareAccess.ALL);
        assertEquals(OplockLevel.LEVEL_II, table.grantOplock(file, 1, OplockLevel.LEVEL_II, OplockLevel.BATCH));
        OplockBreak b = table.startOplockBreak(file, 1, OplockLevel.NONE, 5_000).orElseThrow();
        assertFalse(b.ackRequired());
        assertEquals(OplockLevel.NONE, table.get(file).open(1).orElseThrow().oplockLevel());
        assertTrue(table.startOplockBreak(file, 2, OplockLevel.NONE, 5_000).isEmpty(), "nothing to break");
    }

    @Test
    public void expiredBreaksCompleteAtTheirDeadlineOnly() {
        add(1, RW, ShareAccess.ALL);
        table.grantOplock(file, 1, OplockLevel.BATCH, OplockLevel.BATCH);
        table.startOplockBreak(file, 1, OplockLevel.LEVEL_II, 5_000);
        assertTrue(table.expireOplockBreaks(4_999).isEmpty());
        List<OplockBreak> expired = table.expireOplockBreaks(5_000);
        assertEquals(1, expired.size());
        assertEquals(file, expired.getFirst().file());
        assertEquals(OplockLevel.LEVEL_II, table.get(file).open(1).orElseThrow().oplockLevel());
        assertFalse(table.get(file).open(1).orElseThrow().isBreaking());
    }

    @Test
    public void concurrentExclusiveOpensGrantExactlyOne() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                long id = 100 + i;
                tasks.add(() -> add(id, RW, 0));
            }
            int granted = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                granted += f.get() == NtStatus.SUCCESS ? 1 : 0;
            }
            assertEquals(1, granted);
            assertEquals(1, table.get(file).opens().size());
        } finally {
            pool.shutdownNow();
        }
    }
}
