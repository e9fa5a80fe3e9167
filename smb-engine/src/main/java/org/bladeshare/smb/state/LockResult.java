package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

/**
 * The answer to a lock request: STATUS_SUCCESS (all granted), STATUS_PENDING (recorded as a waiter),
 * STATUS_LOCK_NOT_GRANTED, STATUS_INVALID_LOCK_RANGE, STATUS_INVALID_PARAMETER (no elements, or an
 * AsyncId already waiting), or STATUS_INSUFFICIENT_RESOURCES (the file's record is full).
 */
public record LockResult(int status) {
    public boolean granted() {
        return status == NtStatus.SUCCESS;
    }

    public boolean pending() {
        return status == NtStatus.PENDING;
    }
}
