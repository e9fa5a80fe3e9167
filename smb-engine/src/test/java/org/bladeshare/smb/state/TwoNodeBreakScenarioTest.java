package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.server.AccessMask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.bladeshare.smb.state.StateAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's flows across two nodes that share one record store (as a clustered store would) and
 * talk over the bus: a batch oplock broken for another node's CREATE, and a blocking lock granted
 * when the holder's node dies. It is the wiring guide of {@code package-info}, executed.
 */
class TwoNodeBreakScenarioTest {
    private static final String BREAKS = "smb.oplock-break";
    private static final int RW = AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA;

    private final InMemoryRecordStore shareStore = new InMemoryRecordStore();
    private final InMemoryRecordStore lockStore = new InMemoryRecordStore();
    private final InMemoryMessageBus.Hub hub = new InMemoryMessageBus.Hub();
    private final InMemoryMessageBus bus1 = hub.join(1);
    private final InMemoryMessageBus bus2 = hub.join(2);
    private final FileKey file = new FileKey(3, 300);

    @AfterEach
    void close() {
        bus1.close();
        bus2.close();
    }

    @Test
    void batchOplockOnNodeTwoIsBrokenForACreateOnNodeOne() throws Exception {
        ShareModeTable onNode1 = new RecordShareModeTable(shareStore);
        ShareModeTable onNode2 = new RecordShareModeTable(shareStore);
        OpenOwner holder = new OpenOwner(2, 21, 201, 0x2_0000_0001L);
        OpenOwner opener = new OpenOwner(1, 11, 101, 0x1_0000_0001L);

        // Node 2: CREATE with a batch oplock, alone on the file.
        assertStatus(NtStatus.SUCCESS, onNode2.tryAddOpen(file, OpenEntry.of(holder, RW, ShareAccess.ALL)).status());
        assertEquals(OplockLevel.BATCH, onNode2.grantOplock(file, holder.openId(), OplockLevel.BATCH, OplockLevel.BATCH));

        // Node 2's engine answers breaks for its connections: here the client acknowledges level II at once.
        CountDownLatch acknowledged = new CountDownLatch(1);
        bus2.subscribe(BREAKS, m -> {
            long openId = ByteBuffer.wrap(m.payload()).getLong();
            int level = m.payload()[8];
            if (onNode2.acknowledgeOplockBreak(file, openId, level) == NtStatus.SUCCESS) {
                acknowledged.countDown();
            }
        });

        // Node 1: CREATE. Compute breaks from the file's record, start them, send them to the owner's node.
        ShareModeRecord before = onNode1.get(file);
        List<LeaseRules.BreakNeeded> breaks = LeaseRules.forNewOpen(before, Map.of(), null, RW, false, false);
        assertEquals(List.of(new LeaseRules.OplockBreakNeeded(holder.openId(), OplockLevel.LEVEL_II)), breaks);
        for (LeaseRules.BreakNeeded b : breaks) {
            var ob = (LeaseRules.OplockBreakNeeded) b;
            OplockBreak notice = onNode1.startOplockBreak(file, ob.openId(), ob.toLevel(), 35_000).orElseThrow();
            byte[] payload = ByteBuffer.allocate(9).putLong(ob.openId()).put((byte) ob.toLevel()).array();
            assertTrue(bus1.send(notice.owner().address(), BREAKS, payload));
        }
        assertTrue(acknowledged.await(5, TimeUnit.SECONDS), "node 2 acknowledged the break");

        // Node 1 proceeds: the open is added and gets level II, the holder keeps level II.
        assertStatus(NtStatus.SUCCESS, onNode1.tryAddOpen(file, OpenEntry.of(opener, RW, ShareAccess.ALL)).status());
        assertEquals(OplockLevel.LEVEL_II, onNode1.grantOplock(file, opener.openId(), OplockLevel.BATCH, OplockLevel.BATCH));
        assertEquals(OplockLevel.LEVEL_II, onNode1.get(file).open(holder.openId()).orElseThrow().oplockLevel());
    }

    @Test
    void waiterOnNodeOneIsGrantedWhenTheHolderNodeDies() {
        ByteRangeLockTable onNode1 = new RecordByteRangeLockTable(lockStore);
        ByteRangeLockTable onNode2 = new RecordByteRangeLockTable(lockStore);
        OpenOwner holder = new OpenOwner(2, 21, 201, 7);
        OpenOwner waiter = new OpenOwner(1, 11, 101, 8);
        assertStatus(NtStatus.SUCCESS,
            onNode2.lock(file, holder, List.of(LockRequest.exclusive(0, 100)), Optional.empty()).status());
        assertStatus(NtStatus.PENDING,
            onNode1.lock(file, waiter, List.of(LockRequest.exclusive(50, 10)), Optional.of(900L)).status());
        assertStatus(NtStatus.FILE_LOCK_CONFLICT, onNode1.checkIo(file, waiter.openId(), 50, 1, true));

        // Recovery on node 1 after node 2 died: release everything node 2 held, complete the granted waiters.
        UnlockResult r = onNode1.releaseOwners(OwnerFilter.node(2));
        assertEquals(List.of(900L), r.granted().stream().map(w -> w.lock().asyncId()).toList());
        assertEquals(waiter.address(), r.granted().getFirst().lock().owner().address());
        assertStatus(NtStatus.SUCCESS, onNode1.checkIo(file, waiter.openId(), 50, 1, true));
    }

    @Test
    void inMemorySharedStateHasEveryPort() {
        SharedState s = SharedState.inMemory(4);
        try {
            assertEquals(4, s.bus().localNode());
            assertEquals(SessionLimits.DEFAULT, s.limits());
            assertTrue(s.shareModes().get(file).isEmpty());
        } finally {
            s.bus().close();
        }
    }
}
