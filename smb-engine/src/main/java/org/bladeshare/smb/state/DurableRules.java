package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

import java.util.Objects;

/** Durable reconnect validation as a pure function ([MS-SMB2] 3.3.5.9.7 DHnC, 3.3.5.9.12 DH2C). */
public final class DurableRules {
    private DurableRules() {
    }

    /**
     * The status Windows returns for reconnecting {@code h} (null when no handle has the key), in the
     * specification's order: unknown handle, another client's leased open, lease context and lease
     * not matching, a handle still attached, or a handle past its timeout give
     * STATUS_OBJECT_NAME_NOT_FOUND; a v1 leased reconnect naming another file gives
     * STATUS_INVALID_PARAMETER; another user gives STATUS_ACCESS_DENIED.
     */
    public static int checkReconnect(DurableHandle h, ReconnectRequest q) {
        if (h == null || h.key().persistentId() != q.key().persistentId() || h.key().isV2() != q.key().isV2()) {
            return NtStatus.OBJECT_NAME_NOT_FOUND;
        }
        if (h.leaseKey() != null && !h.clientGuid().equals(q.clientGuid())) {
            return NtStatus.OBJECT_NAME_NOT_FOUND;
        }
        if (!h.key().isV2() && h.leaseKey() != null && !h.path().equalsIgnoreCase(q.path())) {
            return NtStatus.INVALID_PARAMETER;
        }
        if (!Objects.equals(h.leaseKey(), q.leaseKey())) {
            return NtStatus.OBJECT_NAME_NOT_FOUND;
        }
        if (h.isConnected() || h.isExpired(q.now())) {
            return NtStatus.OBJECT_NAME_NOT_FOUND;
        }
        if (!h.user().equals(q.user())) {
            return NtStatus.ACCESS_DENIED;
        }
        return NtStatus.SUCCESS;
    }

    /**
     * [MS-SMB2] 3.3.5.9.10: a durable v2 create whose CreateGuid is in use is a replay only when the
     * request carries SMB2_FLAGS_REPLAY_OPERATION from the same client (else STATUS_DUPLICATE_OBJECTID)
     * and the same user (else STATUS_ACCESS_DENIED).
     */
    public static ReplayCheck checkReplay(DurableHandle h, java.util.UUID clientGuid, String user, boolean replayFlag) {
        if (h == null) {
            return new ReplayCheck(NtStatus.SUCCESS, null);
        }
        if (!replayFlag || !h.clientGuid().equals(clientGuid)) {
            return new ReplayCheck(StateStatus.DUPLICATE_OBJECTID, null);
        }
        if (!h.user().equals(user)) {
            return new ReplayCheck(NtStatus.ACCESS_DENIED, null);
        }
        return new ReplayCheck(NtStatus.SUCCESS, h);
    }
}
