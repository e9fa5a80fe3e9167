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

    /**
     * Records a break to {@code state & toState}; empty when nothing is lost or a break is already under
     * way (then only its required state is narrowed, no new notification, as Samba and Windows do).
     */
    Optional<LeaseBreak> startBreak(LeaseKey key, int toState, long deadline);

    /**
     * LEASE_BREAK acknowledgement ([MS-SMB2] 3.3.5.22.2): STATUS_OBJECT_NAME_NOT_FOUND for an unknown
     * lease. When the acknowledged state still exceeds the required one, the lease breaks again at once:
     * to R first while W or H is held (acknowledgement required by {@code followUpDeadline}, same epoch),
     * else to none without one.
     */
    LeaseAck acknowledge(LeaseKey key, int state, long followUpDeadline);

    /**
     * Completes every break whose deadline is at or before {@code now}: the lease loses all caching, as
     * on Windows (the server proceeds, [MS-SMB2] 3.3.6.5; smbtorture smb2.lease.timeout).
     */
    List<LeaseBreak> expireBreaks(long now);

    /** Detaches an open (CLOSE); the lease is removed with its last open. */
    void releaseHolder(LeaseKey key, long openId);

    /** Detaches every open the filter selects; returns the keys of leases removed because no open was left. */
    List<LeaseKey> removeOwners(OwnerFilter filter);

    /** Moves an open's hold after a durable reconnect. */
    void reassignHolder(LeaseKey key, long openId, OpenOwner newOwner);

    Optional<Lease> get(LeaseKey key);
}
