package org.bladeshare.smb.state;

import java.util.List;
import java.util.Optional;

/**
 * Open files and share modes, one record per file keyed by {@link FileKey} (Samba's locking.tdb):
 * the port the engine's CREATE, CLOSE and SET_INFO handlers use. Every method is atomic on one file's
 * record, except the bulk ones, which are atomic per file.
 */
public interface ShareModeTable {

    /**
     * Adds an open after the share-mode check ([MS-FSA] 2.1.5.1.2); the entry's oplock is recorded as
     * given (use {@link #grantOplock} to settle it against the other opens).
     *
     * @throws IllegalArgumentException when an open with the same open id is already recorded
     */
    OpenResult tryAddOpen(FileKey file, OpenEntry open);

    /** Removes an open on CLOSE; tells whether the engine must delete the file now. */
    CloseResult removeOpen(FileKey file, long openId);

    /** Marks or clears the open's DeleteOnClose (create option FILE_DELETE_ON_CLOSE); STATUS_FILE_CLOSED if unknown. */
    int setDeleteOnClose(FileKey file, long openId, boolean deleteOnClose);

    /** SET_INFO FileDispositionInformation: sets or clears the file's delete-pending flag through an open. */
    int setDeletePending(FileKey file, long openId, boolean pending);

    /** The file's record now (empty when nobody has it open). */
    ShareModeRecord get(FileKey file);

    /** Moves an open to a new node/connection/session after a durable reconnect ([MS-SMB2] 3.3.5.9.7). */
    int reassignOpen(FileKey file, long openId, OpenOwner newOwner);

    /**
     * Settles the open's oplock at the level {@link OplockRules#grantable} allows, never above
     * {@code ceiling} ({@link OplockRules#ceiling}), and returns it; an unknown open gets {@link OplockLevel#NONE}.
     */
    int grantOplock(FileKey file, long openId, int requested, int ceiling);

    /** Records a break of the open's oplock to {@code toLevel}; empty when nothing needs breaking or already breaking. */
    Optional<OplockBreak> startOplockBreak(FileKey file, long openId, int toLevel, long deadline);

    /** OPLOCK_BREAK acknowledgement ([MS-SMB2] 3.3.5.22.1). */
    int acknowledgeOplockBreak(FileKey file, long openId, int level);

    /** Completes every break whose deadline is at or before {@code now} as if acknowledged; returns them. */
    List<OplockBreak> expireOplockBreaks(long now);

    /** Removes every open the filter selects (dead node, closed connection, logoff). */
    List<ReleasedOpens> removeOwners(OwnerFilter filter);
}
