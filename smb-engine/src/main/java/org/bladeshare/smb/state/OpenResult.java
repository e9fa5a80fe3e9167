package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

/**
 * The answer to adding an open: STATUS_SUCCESS, STATUS_SHARING_VIOLATION, STATUS_DELETE_PENDING or
 * STATUS_INSUFFICIENT_RESOURCES, with the file's record as it is after the attempt (for computing
 * oplock and lease breaks, e.g. the handle-caching break a sharing violation calls for).
 */
public record OpenResult(int status, ShareModeRecord record) {
    public boolean granted() {
        return status == NtStatus.SUCCESS;
    }
}
