package org.bladeshare.smb.state;

import java.util.List;

/**
 * The answer to an unlock or a release: STATUS_SUCCESS or STATUS_RANGE_NOT_LOCKED, the waiters the
 * release let through (already granted in the record; the engine answers their async requests with
 * success), and the waiters dropped because their owner went away.
 */
public record UnlockResult(int status, List<LockWaiter> granted, List<LockWaiter> dropped) {
    public UnlockResult {
        granted = List.copyOf(granted);
        dropped = List.copyOf(dropped);
    }
}
