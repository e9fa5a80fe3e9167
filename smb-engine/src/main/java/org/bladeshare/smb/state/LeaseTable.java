package org.bladeshare.smb.state;

import java.util.List;
import java.util.Optional;

/**
 * Leases, one record per lease keyed by {@link LeaseKey} (ClientGuid + LeaseKey, Samba's leases
 * database): the port of CREATE's lease contexts, OPLOCK_BREAK lease acknowledgements and CLOSE.
 */
public interface LeaseTable {

    /**
     * Grants or upgrades a lease for an open ([MS-SMB2] 3.3.5.9.8 / 3.3.5.9.11): a new lease gets the
     * requested state within the allowed one (v2 epoch = client epoch + 1); an existing lease is only
     * upgraded (epoch + 1), to a superset of its state that the other opens allow in full; it is never
     * downgraded and not changed while breaking. A key already covering another file gives
     * STATUS_INVALID_PARAMETER.
     */
    LeaseGrant requestLease(LeaseRequest request);

    /** Records a break to {@code state & toState}; empty when nothing is lost or a break is already under way (then narrowed). */
    Optional<LeaseBreak> startBreak(LeaseKey key, int toState, long deadline);

    /** LEASE_BREAK acknowledgement ([MS-SMB2] 3.3.5.22.2): STATUS_OBJECT_NAME_NOT_FOUND for an unknown lease. */
    int acknowledge(LeaseKey key, int state);

    /** Completes every break whose deadline is at or before {@code now} (the server proceeds, 3.3.6.5). */
    List<LeaseBreak> expireBreaks(long now);

    /** Detaches an open (CLOSE); the lease is removed with its last open. */
    void releaseHolder(LeaseKey key, long openId);

    /** Detaches every open the filter selects; returns the keys of leases removed because no open was left. */
    List<LeaseKey> removeOwners(OwnerFilter filter);

    /** Moves an open's hold after a durable reconnect. */
    void reassignHolder(LeaseKey key, long openId, OpenOwner newOwner);

    Optional<Lease> get(LeaseKey key);
}
