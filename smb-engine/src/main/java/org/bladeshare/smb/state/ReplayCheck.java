package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

/**
 * The answer to a durable v2 create's replay lookup ([MS-SMB2] 3.3.5.9.10): a new open (SUCCESS, no
 * handle), a replay of an existing open (SUCCESS with it: answer from it), or a failure
 * (STATUS_DUPLICATE_OBJECTID, STATUS_ACCESS_DENIED).
 */
public record ReplayCheck(int status, DurableHandle existing) {
    public boolean isNew() {
        return status == NtStatus.SUCCESS && existing == null;
    }

    public boolean isReplay() {
        return status == NtStatus.SUCCESS && existing != null;
    }
}
