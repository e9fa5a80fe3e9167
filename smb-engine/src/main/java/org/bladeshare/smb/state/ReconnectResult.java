package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

/**
 * The answer to a durable reconnect: STATUS_SUCCESS with the handle now attached to the new owner;
 * STATUS_OBJECT_NAME_NOT_FOUND, STATUS_ACCESS_DENIED or STATUS_INVALID_PARAMETER otherwise. When the
 * handle had outlived its timeout it is removed and returned as {@code expired} for the engine to close.
 */
public record ReconnectResult(int status, DurableHandle handle, DurableHandle expired) {
    public boolean reconnected() {
        return status == NtStatus.SUCCESS;
    }
}
