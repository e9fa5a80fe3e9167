package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.bladeshare.smb.state.StateAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link DurableHandleTable} must have ([MS-SMB2] 3.3.5.9.7 / 3.3.5.9.12
 * reconnect validation, 3.3.5.9.10 replay detection, 3.3.7.1 timeout). Extend it with a factory for
 * the table under test.
 */
public abstract class DurableHandleTableContract {
    protected static final UUID CLIENT = UUID.fromString("aaaaaaaa-0000-0000-0000-000000000001");
    protected static final UUID OTHER_CLIENT = UUID.fromString("aaaaaaaa-0000-0000-0000-000000000002");
    protected static final UUID CREATE_GUID = UUID.fromString("cccccccc-0000-0000-0000-000000000001");
    protected static final long PID = 0x0001_0000_0000_0042L;
    protected static final long TIMEOUT = 60_000;
    protected final FileKey file = new FileKey(5, 55);
    protected final LeaseKey lease = new LeaseKey(CLIENT, UUID.fromString("eeeeeeee-0000-0000-0000-000000000001"));
    protected DurableHandleTable table;

    /** A new, empty table. */
    protected abstract DurableHandleTable newTable();

    @BeforeEach
    public void setUpTable() {
        table = newTable();
    }

    protected static OpenOwner on(int node, long connection) {
        return new OpenOwner(node, connection, 7000 + connection, PID);
    }

    private DurableHandle handle(DurableKey key, LeaseKey leaseKey) {
        return new DurableHandle(key, CLIENT, "BLADE\\alice", file, "docs/report.docx", 0x12019F, ShareAccess.READ,
            leaseKey == null ? OplockLevel.BATCH : OplockLevel.LEASE, leaseKey, TIMEOUT, on(1, 11), 0);
    }

    private ReconnectRequest reconnect(DurableKey key, UUID client, String user, LeaseKey leaseKey, String path, long now) {
        return new ReconnectRequest(key, client, user, leaseKey, path, on(2, 22), now);
    }

    private DurableKey registeredAndDisconnectedV2(long at) {
        DurableKey k = DurableKey.v2(PID, CREATE_GUID);
        assertStatus(NtStatus.SUCCESS, table.register(handle(k, null)));
        assertTrue(table.disconnect(k, at).isPresent());
        return k;
    }

    @Test
    public void registeredHandleIsFoundAndItsKeyIsUnique() {
        DurableKey k = DurableKey.v2(PID, CREATE_GUID);
        assertStatus(NtStatus.SUCCESS, table.register(handle(k, null)));
        assertEquals(handle(k, null), table.get(k).orElseThrow());
        assertStatus(StateStatus.DUPLICATE_OBJECTID, table.register(handle(k, null)));
        assertTrue(table.get(DurableKey.v1(PID)).isEmpty(), "v1 and v2 keys are distinct");
    }

    @Test
    public void reconnectAfterDisconnectAttachesTheHandleToTheNewConnection() {
        DurableKey k = registeredAndDisconnectedV2(1_000);
        ReconnectResult r = table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", null, "docs/report.docx", 2_000));
        assertStatus(NtStatus.SUCCESS, r.status());
        assertEquals(on(2, 22), r.handle().owner());
        assertEquals(on(2, 22), table.get(k).orElseThrow().owner());
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND,
            table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", null, "docs/report.docx", 2_001)).status(),
            "a handle attached again cannot be taken twice");
    }

    @Test
    public void reconnectWhileStillConnectedIsNotFound() {
        DurableKey k = DurableKey.v2(PID, CREATE_GUID);
        table.register(handle(k, null));
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND,
            table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", null, "docs/report.docx", 1)).status());
    }

    @Test
    public void wrongCreateGuidIsNotFound() {
        registeredAndDisconnectedV2(1_000);
        DurableKey wrong = DurableKey.v2(PID, UUID.fromString("cccccccc-0000-0000-0000-000000000009"));
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND,
            table.reconnect(reconnect(wrong, CLIENT, "BLADE\\alice", null, "docs/report.docx", 2_000)).status());
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND,
            table.reconnect(new ReconnectRequest(DurableKey.v2(PID + 1, CREATE_GUID), CLIENT, "BLADE\\alice", null,
                "docs/report.docx", new OpenOwner(2, 22, 1, PID + 1), 2_000)).status(),
            "right CreateGuid, wrong persistent file id");
    }

    @Test
    public void anotherUserIsAccessDeniedAndTheHandleStaysForItsOwner() {
        DurableKey k = registeredAndDisconnectedV2(1_000);
        ReconnectResult r = table.reconnect(reconnect(k, CLIENT, "BLADE\\mallory", null, "docs/report.docx", 2_000));
        assertStatus(NtStatus.ACCESS_DENIED, r.status());
        assertNull(r.handle());
        assertFalse(table.get(k).orElseThrow().isConnected());
        assertStatus(NtStatus.SUCCESS,
            table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", null, "docs/report.docx", 3_000)).status());
    }

    @Test
    public void leaseMustMatchAndBelongToTheSameClient() {
        DurableKey k = DurableKey.v2(PID, CREATE_GUID);
        table.register(handle(k, lease));
        table.disconnect(k, 0);
        LeaseKey otherLease = new LeaseKey(CLIENT, UUID.fromString("eeeeeeee-0000-0000-0000-000000000002"));
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND,
            table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", otherLease, "docs/report.docx", 1)).status());
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND,
            table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", null, "docs/report.docx", 1)).status());
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND,
            table.reconnect(reconnect(k, OTHER_CLIENT, "BLADE\\alice", lease, "docs/report.docx", 1)).status());
        assertStatus(NtStatus.SUCCESS,
            table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", lease, "docs/report.docx", 1)).status());
    }

    @Test
    public void v1LeasedReconnectNamingAnotherFileIsInvalidParameter() {
        DurableKey k = DurableKey.v1(PID);
        table.register(handle(k, lease));
        table.disconnect(k, 0);
        assertStatus(NtStatus.INVALID_PARAMETER,
            table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", lease, "docs/other.docx", 1)).status());
        assertStatus(NtStatus.SUCCESS,
            table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", lease, "DOCS/Report.docx", 1)).status(),
            "file names compare case-insensitively");
    }

    @Test
    public void v1ReconnectCannotReachAV2Handle() {
        registeredAndDisconnectedV2(0);
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND,
            table.reconnect(reconnect(DurableKey.v1(PID), CLIENT, "BLADE\\alice", null, "docs/report.docx", 1)).status());
    }

    @Test
    public void handlePastItsTimeoutIsGoneAndReportedForClosing() {
        DurableKey k = registeredAndDisconnectedV2(1_000);
        ReconnectResult r = table.reconnect(reconnect(k, CLIENT, "BLADE\\alice", null, "docs/report.docx",
            1_000 + TIMEOUT));
        assertStatus(NtStatus.OBJECT_NAME_NOT_FOUND, r.status());
        assertNotNull(r.expired());
        assertEquals(k, r.expired().key());
        assertTrue(table.get(k).isEmpty());
    }

    @Test
    public void expireRemovesOnlyDisconnectedHandlesPastTheirTimeout() {
        DurableKey gone = registeredAndDisconnectedV2(1_000);
        DurableKey connected = DurableKey.v1(PID);
        table.register(handle(connected, null));
        assertTrue(table.expire(1_000 + TIMEOUT - 1).isEmpty());
        List<DurableHandle> expired = table.expire(1_000 + TIMEOUT);
        assertEquals(List.of(gone), expired.stream().map(DurableHandle::key).toList());
        assertTrue(table.get(connected).isPresent());
    }

    @Test
    public void replayIsDetectedOnlyWithTheReplayFlagFromTheSameClientAndUser() {
        assertTrue(table.checkReplay(CREATE_GUID, CLIENT, "BLADE\\alice", true).isNew());
        table.register(handle(DurableKey.v2(PID, CREATE_GUID), null));
        ReplayCheck replay = table.checkReplay(CREATE_GUID, CLIENT, "BLADE\\alice", true);
        assertTrue(replay.isReplay());
        assertEquals(PID, replay.existing().key().persistentId());
        assertStatus(StateStatus.DUPLICATE_OBJECTID, table.checkReplay(CREATE_GUID, CLIENT, "BLADE\\alice", false).status());
        assertStatus(StateStatus.DUPLICATE_OBJECTID,
            table.checkReplay(CREATE_GUID, OTHER_CLIENT, "BLADE\\alice", true).status());
        assertStatus(NtStatus.ACCESS_DENIED, table.checkReplay(CREATE_GUID, CLIENT, "BLADE\\bob", true).status());
    }

    @Test
    public void droppedConnectionDetachesItsHandlesOnly() {
        DurableKey k1 = DurableKey.v2(PID, CREATE_GUID);
        table.register(handle(k1, null));
        DurableKey k2 = DurableKey.v1(PID + 1);
        table.register(new DurableHandle(k2, CLIENT, "BLADE\\alice", file, "x", 0, 0, OplockLevel.BATCH, null, TIMEOUT,
            new OpenOwner(3, 33, 1, PID + 1), 0));
        List<DurableHandle> detached = table.disconnectOwners(OwnerFilter.connection(1, 11), 500);
        assertEquals(List.of(k1), detached.stream().map(DurableHandle::key).toList());
        assertEquals(500, table.get(k1).orElseThrow().disconnectedAt());
        assertTrue(table.get(k2).orElseThrow().isConnected());
    }

    @Test
    public void removeForgetsTheHandle() {
        DurableKey k = DurableKey.v1(PID);
        table.register(handle(k, null));
        assertTrue(table.remove(k).isPresent());
        assertTrue(table.get(k).isEmpty());
        assertTrue(table.remove(k).isEmpty());
        assertTrue(table.disconnect(k, 1).isEmpty());
    }
}
