package org.bladeshare.smb.state;

import org.bladeshare.smb.server.AccessMask;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.bladeshare.smb.state.LeaseState.H;
import static org.bladeshare.smb.state.LeaseState.R;
import static org.bladeshare.smb.state.LeaseState.W;
import static org.bladeshare.smb.state.StateAssertions.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a new open must break, and what it may be granted ([MS-FSA] 2.1.4.12, [MS-SMB2] 3.3.5.9.8). */
class BreakRulesTest {
    private static final int RW = AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA;
    private final LeaseKey mine = new LeaseKey(UUID.randomUUID(), UUID.randomUUID());
    private final LeaseKey theirs = new LeaseKey(UUID.randomUUID(), UUID.randomUUID());

    private static ShareModeRecord file(OpenEntry... opens) {
        return new ShareModeRecord(false, List.of(opens));
    }

    @Test
    void anotherLeaseLosesWriteCachingOnAnyOpen() {
        var f = file(OpenEntry.of(owner(1, 1), RW, ShareAccess.ALL).withLease(theirs));
        assertEquals(List.of(new LeaseRules.LeaseBreakNeeded(theirs, R | H)),
            LeaseRules.forNewOpen(f, Map.of(theirs, R | H | W), mine, RW, false, false));
    }

    @Test
    void sharingViolationAlsoBreaksHandleCachingAndOverwriteBreaksEverything() {
        var f = file(OpenEntry.of(owner(1, 1), RW, 0).withLease(theirs));
        assertEquals(List.of(new LeaseRules.LeaseBreakNeeded(theirs, R)),
            LeaseRules.forNewOpen(f, Map.of(theirs, R | H), mine, RW, true, false));
        assertEquals(List.of(new LeaseRules.LeaseBreakNeeded(theirs, LeaseState.NONE)),
            LeaseRules.forNewOpen(f, Map.of(theirs, R | H), mine, RW, false, true));
    }

    @Test
    void sharingViolationKeepsWriteCachingButTakesHandleCaching() {
        var f = file(OpenEntry.of(owner(1, 1), RW, 0).withLease(theirs));
        assertEquals(List.of(new LeaseRules.LeaseBreakNeeded(theirs, R | W)),
            LeaseRules.forNewOpen(f, Map.of(theirs, R | H | W), mine, RW, true, false));
    }

    @Test
    void statOpensBreakNothing() {
        var f = file(OpenEntry.of(owner(1, 1), RW, ShareAccess.ALL).withLease(theirs),
            OpenEntry.of(owner(1, 2), RW, ShareAccess.ALL).withOplock(OplockLevel.BATCH));
        assertEquals(List.of(), LeaseRules.forNewOpen(f, Map.of(theirs, R | H | W), mine,
            AccessMask.FILE_READ_ATTRIBUTES | AccessMask.SYNCHRONIZE, false, true));
        assertEquals(List.of(new LeaseRules.OplockBreakNeeded(2, OplockLevel.NONE)),
            LeaseRules.forNewOpen(f, Map.of(theirs, R | H | W), mine, AccessMask.READ_CONTROL, false, true),
            "READ_CONTROL is a stat open for leases only");
    }

    @Test
    void exclusiveOplockIsNotBrokenByASharingViolationButBatchIs() {
        var f = file(OpenEntry.of(owner(1, 1), RW, 0).withOplock(OplockLevel.EXCLUSIVE),
            OpenEntry.of(owner(1, 2), RW, 0).withOplock(OplockLevel.BATCH));
        assertEquals(List.of(new LeaseRules.OplockBreakNeeded(2, OplockLevel.LEVEL_II)),
            LeaseRules.forNewOpen(f, Map.of(), mine, RW, true, false));
    }

    @Test
    void ownLeaseKeyAndUnaffectedLeasesAreNotBroken() {
        var f = file(OpenEntry.of(owner(1, 1), RW, ShareAccess.ALL).withLease(mine),
            OpenEntry.of(owner(1, 2), RW, ShareAccess.ALL).withLease(theirs),
            OpenEntry.of(owner(1, 3), RW, ShareAccess.ALL).withLease(theirs));
        assertEquals(List.of(), LeaseRules.forNewOpen(f, Map.of(mine, R | H | W, theirs, R | H), mine, RW, false, false));
    }

    @Test
    void batchAndExclusiveOplocksBreakToLevelTwoOrNoneOnOverwrite() {
        var f = file(OpenEntry.of(owner(1, 1), RW, ShareAccess.ALL).withOplock(OplockLevel.BATCH),
            OpenEntry.of(owner(1, 2), RW, ShareAccess.ALL).withOplock(OplockLevel.LEVEL_II));
        assertEquals(List.of(new LeaseRules.OplockBreakNeeded(1, OplockLevel.LEVEL_II)),
            LeaseRules.forNewOpen(f, Map.of(), mine, RW, false, false));
        assertEquals(List.of(new LeaseRules.OplockBreakNeeded(1, OplockLevel.NONE),
                new LeaseRules.OplockBreakNeeded(2, OplockLevel.NONE)),
            LeaseRules.forNewOpen(f, Map.of(), mine, RW, false, true));
    }

    @Test
    void leaseGrantDependsOnTheOtherOpens() {
        assertEquals(R | H | W, LeaseRules.grantableForOpen(ShareModeRecord.EMPTY, mine, R | H | W, false));
        var shared = file(OpenEntry.of(owner(1, 1), RW, ShareAccess.ALL).withLease(mine));
        assertEquals(R | H | W, LeaseRules.grantableForOpen(shared, mine, R | H | W, false), "same lease key");
        var other = file(OpenEntry.of(owner(1, 1), RW, ShareAccess.ALL));
        assertEquals(R | H, LeaseRules.grantableForOpen(other, mine, R | H | W, false));
        var statOnly = file(OpenEntry.of(owner(1, 1), AccessMask.FILE_READ_ATTRIBUTES, ShareAccess.ALL));
        assertEquals(R | H | W, LeaseRules.grantableForOpen(statOnly, mine, R | H | W, false), "attribute-only opens");
        var batch = file(OpenEntry.of(owner(1, 1), RW, ShareAccess.ALL).withOplock(OplockLevel.BATCH));
        assertEquals(LeaseState.NONE, LeaseRules.grantableForOpen(batch, mine, R | H | W, false));
        var levelTwo = file(OpenEntry.of(owner(1, 1), RW, ShareAccess.ALL).withOplock(OplockLevel.LEVEL_II));
        assertEquals(R, LeaseRules.grantableForOpen(levelTwo, mine, R | H | W, false), "no H beside an oplock");
        assertEquals(LeaseState.NONE, LeaseRules.grantableForOpen(ShareModeRecord.EMPTY, mine, R | H | W, true),
            "no read caching over byte-range locks");
    }

    @Test
    void writesBreakReadCaching() {
        assertEquals(H, LeaseRules.breakToForWrite(R | H | W));
        assertEquals(LeaseState.NONE, LeaseRules.breakToForWrite(R));
        assertEquals(OplockLevel.NONE, OplockRules.breakToForWrite());
    }

    @Test
    void leaseStateNamesAndGrantableStates() {
        assertEquals("RHW", LeaseState.name(R | H | W));
        assertEquals("NONE", LeaseState.name(0));
        assertEquals(R | W, LeaseState.grantable(R | W));
        assertEquals(LeaseState.NONE, LeaseState.grantable(W | H));
        assertEquals(R | H | W, OplockLevel.asLeaseState(OplockLevel.BATCH));
    }
}
