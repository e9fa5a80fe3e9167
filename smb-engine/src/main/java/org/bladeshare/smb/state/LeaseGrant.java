package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

/**
 * The answer to a lease request in CREATE: STATUS_SUCCESS with the lease as granted (state, epoch,
 * and {@code lease.isBreaking()} for SMB2_LEASE_FLAG_BREAK_IN_PROGRESS, [MS-SMB2] 2.2.14.2.10), or
 * STATUS_INVALID_PARAMETER when the lease key already covers another file (STATUS_INSUFFICIENT_RESOURCES
 * when the lease already has {@link Lease#MAX_HOLDERS} opens).
 */
public record LeaseGrant(int status, Lease lease) {
    public boolean granted() {
        return status == NtStatus.SUCCESS;
    }
}
