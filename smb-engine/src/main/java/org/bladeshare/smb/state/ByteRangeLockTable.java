package org.bladeshare.smb.state;

import java.util.List;
import java.util.Optional;

/**
 * Byte-range locks, one record per file keyed by {@link FileKey} (Samba's brlock.tdb): the port of
 * the engine's LOCK, READ, WRITE, CANCEL and CLOSE handlers. Locks belong to an open (its open id);
 * blocking requests wait in the record as data and are granted by the release that frees them.
 */
public interface ByteRangeLockTable {

    /**
     * Takes all {@code requests} for {@code owner} or none ([MS-SMB2] 3.3.5.14.2). With an
     * {@code asyncId} the request waits on conflict (STATUS_PENDING) until a release grants it;
     * without, it fails with STATUS_LOCK_NOT_GRANTED. A wrapping range fails with STATUS_INVALID_LOCK_RANGE.
     */
    LockResult lock(FileKey file, OpenOwner owner, List<LockRequest> requests, Optional<Long> asyncId);

    /** Unlocks exact ranges of this open, in order ([MS-SMB2] 3.3.5.14.1); reports waiters granted. */
    UnlockResult unlock(FileKey file, OpenOwner owner, List<LockRange> ranges);

    /** STATUS_SUCCESS or STATUS_FILE_LOCK_CONFLICT for a read or write through {@code openId} ([MS-FSA] 2.1.4.10). */
    int checkIo(FileKey file, long openId, long offset, long length, boolean write);

    /** Removes a waiting request (SMB2 CANCEL); empty when it was already granted or gone. */
    Optional<LockWaiter> cancel(FileKey file, int node, long connectionId, long asyncId);

    /** Releases every lock and waiter of one open (CLOSE); reports waiters granted and dropped. */
    UnlockResult releaseOpen(FileKey file, long openId);

    /** Releases locks and waiters of every owner the filter selects, in every file (logoff, disconnect, dead node). */
    UnlockResult releaseOwners(OwnerFilter filter);

    /** Moves an open's locks to its new owner after a durable reconnect; its stale waiters are dropped. */
    int reassignOpen(FileKey file, long openId, OpenOwner newOwner);

    /** The file's record now. */
    LockRecord get(FileKey file);
}
