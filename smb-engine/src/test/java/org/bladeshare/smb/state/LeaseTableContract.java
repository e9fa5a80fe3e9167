package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.bladeshare.smb.state.LeaseState.H;
import static org.bladeshare.smb.state.LeaseState.R;
import static org.bladeshare.smb.state.LeaseState.W;
import static org.bladeshare.smb.state.StateAssertions.assertStatus;
import static org.bladeshare.smb.state.StateAssertions.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link LeaseTable} must have ([MS-SMB2] 3.3.5.9.8 / 3.3.5.9.11 grants,
 * 3.3.4.7 breaks, 3.3.5.22.2 acknowledgements). Extend it with a factory for the table under test.
 */
public abstract class LeaseTableContract {
    protected static final UUID CLIENT = UUID.fromString("11111111-2222-3333-4444-555555555555");
    protected final LeaseKey key = new LeaseKey(CLIENT, UUID.fromString("00000000-0000-0000-0000-0000000000aa"));
    protected final LeaseKey key2 = new LeaseKey(CLIENT, UUID.fromString("00000000-0000-0000-0000-0000000000bb"));
    protected final FileKey file = new FileKey(9, 1);
    protected final FileKey other = new FileKey(9, 2);
    protected LeaseTable table;

    /** A new, empty table. */
    protected abstract LeaseTable newTable();

    @BeforeEach
    public void setUpTable() {
        table = newTable();
    }

    private LeaseGrant request(LeaseKey k, FileKey f, OpenOwner holder, int state, int allowed, int version) {
        return table.requestLease(new LeaseRequest(k, f, "dir/a.txt", holder, state, allowed, version, 3));
    }

    private LeaseGrant requestRhw(OpenOwner holder) {
        return request(key, file, holder, R | H | W, R | H | W, 2);
    }

    @Test
    public void newLeaseIsGrantedWithinWhatOtherOpensAllow() {
        LeaseGrant g = request(key, file, owner(1, 1), R | H | W, R | H, 2);
        assertStatus(NtStatus.SUCCESS, g.status());
        assertEquals(R | H, g.lease().state());
        assertEquals(4, g.lease().epoch(), "v2: the client's epoch + 1");
        assertFalse(g.lease().isBreaking());
        assertEquals(R | H, table.get(key).orElseThrow().state());
        assertEquals(0, request(key2, other, owner(1, 2), R, R | H | W, 1).lease().epoch(), "v1 has no epoch");
    }

    @Test
    public void stateWithoutReadCachingIsNotGranted() {
        assertEquals(LeaseState.NONE, request(key, file, owner(1, 1), H | W, R | H | W, 2).lease().state());
    }

    @Test
    public void leaseKeyReusedForAnotherFileIsInvalidParameter() {
        requestRhw(owner(1, 1));
        LeaseGrant g = request(key, other, owner(1, 2), R, R | H | W, 2);
        assertStatus(NtStatus.INVALID_PARAMETER, g.status());
        Lease l = table.get(key).orElseThrow();
        assertEquals(file, l.file());
        assertEquals(List.of(owner(1, 1)), l.holders(), "the refused open did not join the lease");
    }

    @Test
    public void sharedLeaseKeyUpgradesButNeverDowngrades() {
        request(key, file, owner(1, 1), R, R | H | W, 2);
        LeaseGrant up = request(key, file, owner(1, 2), R | H, R | H | W, 2);
        assertEquals(R | H, up.lease().state());
        assertEquals(5, up.lease().epoch(), "an upgrade moves the epoch on");
        LeaseGrant same = request(key, file, owner(1, 3), R, R | H | W, 2);
        assertEquals(R | H, same.lease().state(), "asking for less keeps what is held");
        assertEquals(5, same.lease().epoch());
        assertEquals(3, table.get(key).orElseThrow().holders().size());
    }

    @Test
    public void upgradeOnlyWhenTheOtherOpensAllowAllOfIt() {
        request(key, file, owner(1, 1), R, R | H | W, 2);
        LeaseGrant g = request(key, file, owner(1, 2), R | H | W, R | H, 2);
        assertEquals(R, g.lease().state(), "RHW asked, only RH allowed: no partial upgrade");
        assertEquals(4, g.lease().epoch());
    }

    @Test
    public void breakIsRecordedWithNewEpochAndAddress() {
        OpenOwner holder = owner(2, 1);
        requestRhw(holder);
        LeaseBreak b = table.startBreak(key, R | H, 7_000).orElseThrow();
        assertEquals(new LeaseBreak(key, file, R | H | W, R | H, 5, true, 7_000, holder.address()), b);
        Lease l = table.get(key).orElseThrow();
        assertTrue(l.isBreaking());
        assertEquals(R | H | W, l.state(), "held until acknowledged");
        assertEquals(R | H, l.breakingTo());
    }

    @Test
    public void requestDuringBreakDoesNotUpgradeAndSeesTheBreak() {
        request(key, file, owner(1, 1), R | W, R | H | W, 2);
        table.startBreak(key, R, 7_000);
        LeaseGrant g = request(key, file, owner(1, 2), R | H | W, R | H | W, 2);
        assertTrue(g.lease().isBreaking());
        assertEquals(R | W, g.lease().state());
    }

    @Test
    public void secondBreakWhileBreakingNarrowsWithoutANewNotification() {
        requestRhw(owner(1, 1));
        table.startBreak(key, R | H, 7_000);
        assertTrue(table.startBreak(key, R, 8_000).isEmpty());
        Lease l = table.get(key).orElseThrow();
        assertEquals(R | H, l.breakingTo(), "what the client was told, and may acknowledge");
        assertEquals(R, l.breakingToRequired());
        assertTrue(table.startBreak(key2, LeaseState.NONE, 8_000).isEmpty(), "unknown lease");
    }

    @Test
    public void acknowledgementAboveTheRequiredStateBreaksAgainInSteps() {
        OpenOwner holder = owner(2, 1);
        requestRhw(holder);
        table.startBreak(key, R | H, 7_000);
        table.startBreak(key, LeaseState.NONE, 7_500);
        LeaseAck first = table.acknowledge(key, R | H, 9_000);
        assertStatus(NtStatus.SUCCESS, first.status());
        assertEquals(new LeaseBreak(key, file, R | H, R, 5, true, 9_000, holder.address()), first.followUp().orElseThrow(),
            "with handle caching held, first to R (same epoch), acknowledged");
        assertEquals(R | H, table.get(key).orElseThrow().state());
        LeaseAck second = table.acknowledge(key, R, 10_000);
        assertStatus(NtStatus.SUCCESS, second.status());
        LeaseBreak last = second.followUp().orElseThrow();
        assertEquals(LeaseState.NONE, last.toState());
        assertFalse(last.ackRequired(), "read caching alone goes without an acknowledgement");
        Lease l = table.get(key).orElseThrow();
        assertEquals(LeaseState.NONE, l.state());
        assertFalse(l.isBreaking());
    }

    @Test
    public void acknowledgementIsValidated() {
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND, table.acknowledge(key, R, 9_000).status());
        requestRhw(owner(1, 1));
        assertStatus(StateStatus.UNSUCCESSFUL, table.acknowledge(key, R | H, 9_000).status(), "no break in progress");
        table.startBreak(key, R | H, 7_000);
        assertStatus(NtStatus.REQUEST_NOT_ACCEPTED, table.acknowledge(key, R | H | W, 9_000).status());
        LeaseAck ack = table.acknowledge(key, R, 9_000);
        assertStatus(NtStatus.SUCCESS, ack.status());
        assertTrue(ack.followUp().isEmpty(), "nothing more to break");
        Lease l = table.get(key).orElseThrow();
        assertEquals(R, l.state(), "the client may give up more than asked");
        assertFalse(l.isBreaking());
    }

    @Test
    public void readOnlyLeaseBreaksWithoutAcknowledgement() {
        request(key, file, owner(1, 1), R, R | H | W, 2);
        LeaseBreak b = table.startBreak(key, LeaseState.NONE, 7_000).orElseThrow();
        assertFalse(b.ackRequired());
        assertEquals(LeaseState.NONE, table.get(key).orElseThrow().state());
        assertFalse(table.get(key).orElseThrow().isBreaking());
        assertTrue(table.startBreak(key, R, 7_000).isEmpty(), "nothing left to break");
    }

    @Test
    public void expiredBreakTakesAllCachingAtItsDeadline() {
        requestRhw(owner(1, 1));
        table.startBreak(key, R, 7_000);
        assertTrue(table.expireBreaks(6_999).isEmpty());
        List<LeaseBreak> done = table.expireBreaks(7_000);
        assertEquals(List.of(key), done.stream().map(LeaseBreak::key).toList());
        assertEquals(LeaseState.NONE, table.get(key).orElseThrow().state(), "as Windows: an unanswered break loses all");
        assertFalse(table.get(key).orElseThrow().isBreaking());
    }

    @Test
    public void leaseGoesWithItsLastOpen() {
        requestRhw(owner(1, 1));
        requestRhw(owner(1, 2));
        table.releaseHolder(key, 1);
        assertEquals(List.of(owner(1, 2)), table.get(key).orElseThrow().holders());
        table.releaseHolder(key, 2);
        assertTrue(table.get(key).isEmpty());
        table.releaseHolder(key, 2);
        assertTrue(table.get(key).isEmpty(), "releasing again is harmless");
    }

    @Test
    public void deadNodeLosesItsHoldsAndLeasesLeftWithoutOpensGo() {
        requestRhw(owner(1, 1));
        requestRhw(owner(2, 2));
        request(key2, other, owner(2, 3), R, R, 2);
        List<LeaseKey> removed = table.removeOwners(OwnerFilter.node(2));
        assertEquals(List.of(key2), removed);
        assertEquals(List.of(owner(1, 1)), table.get(key).orElseThrow().holders());
        assertTrue(table.get(key2).isEmpty());
    }

    @Test
    public void reassignedHolderReceivesTheBreaks() {
        requestRhw(owner(1, 1));
        OpenOwner moved = new OpenOwner(4, 44, 444, 1);
        table.reassignHolder(key, 1, moved);
        assertEquals(new BusAddress(4, 44), table.startBreak(key, R, 1).orElseThrow().address());
    }
}
