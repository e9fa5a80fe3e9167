package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.server.AccessMask;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Lease grant, break and acknowledgement rules as pure functions ([MS-SMB2] 3.3.5.9.8, 3.3.4.7, 3.3.5.22.2). */
public final class LeaseRules {
    private LeaseRules() {
    }

    /** A break another open's oplock or lease needs before a new open proceeds. */
    public sealed interface BreakNeeded {
    }

    public record OplockBreakNeeded(long openId, int toLevel) implements BreakNeeded {
    }

    public record LeaseBreakNeeded(LeaseKey key, int toState) implements BreakNeeded {
    }

    /** Nothing of the lease is in the way, but its break is still under way: the open waits for it (as Samba). */
    public record LeaseStillBreaking(LeaseKey key) implements BreakNeeded {
    }

    private static final int STAT_BITS = AccessMask.SYNCHRONIZE | AccessMask.FILE_READ_ATTRIBUTES
        | AccessMask.FILE_WRITE_ATTRIBUTES | AccessMask.READ_CONTROL;

    /** A stat open for leases: attributes, SYNCHRONIZE or READ_CONTROL only; it breaks no lease. */
    public static boolean isStatOpen(int access) {
        return (access & STAT_BITS) != 0 && (access & ~STAT_BITS) == 0;
    }

    /**
     * The caching a new open may be granted under lease {@code requester} given the file's other opens
     * ([MS-SMB2] 3.3.5.9.8, as Samba grants): W only when no open of another lease key holds an oplock
     * or lease or asks for more than attributes; no H beside another open's (non-lease) oplock; no R
     * over byte-range locks; nothing while another open's exclusive or batch oplock is unbroken. The
     * result is a grantable state.
     */
    public static int grantableForOpen(ShareModeRecord file, LeaseKey requester, int requested, boolean fileHasLocks) {
        int allowed = LeaseState.R | LeaseState.H | LeaseState.W;
        for (OpenEntry o : file.opens()) {
            if (requester.equals(o.leaseKey())) {
                continue;
            }
            if (OplockRules.rank(o.oplockLevel()) >= 2) {
                return LeaseState.NONE;
            }
            if (!OplockRules.isStatOpen(o.access()) || o.oplockLevel() != OplockLevel.NONE) {
                allowed &= ~LeaseState.W;
            }
            if (o.oplockLevel() != OplockLevel.NONE && o.oplockLevel() != OplockLevel.LEASE) {
                allowed &= ~LeaseState.H;
            }
        }
        if (fileHasLocks) {
            allowed &= ~LeaseState.R;
        }
        return LeaseState.grantable(requested & allowed);
    }

    /**
     * The state another lease must be broken to before a new open proceeds (as Samba and Windows do,
     * [MS-FSA] 2.1.4.12): write caching goes; on a sharing violation handle caching goes instead (so
     * the holder may close cached handles); an overwrite or supersede takes everything.
     */
    public static int breakToForOpen(int held, boolean sharingViolation, boolean overwrite) {
        if (overwrite) {
            return LeaseState.NONE;
        }
        return held & ~(sharingViolation ? LeaseState.H : LeaseState.W);
    }

    /**
     * Whether a new open waits for the break of another lease it caused or met (Samba's
     * delay_for_oplock): while the caching it takes includes write caching (handle caching on a sharing
     * violation), or when a lease it retries against is still breaking.
     */
    public static boolean openWaits(int held, int toState, boolean breaking, boolean sharingViolation,
                                    boolean firstAttempt) {
        return openWaits(held, toState, breaking, sharingViolation, firstAttempt, LeaseState.NONE);
    }

    /** {@link #openWaits}, where the open also takes {@code alsoLost} (handle caching for delete-on-close). */
    public static boolean openWaits(int held, int toState, boolean breaking, boolean sharingViolation,
                                    boolean firstAttempt, int alsoLost) {
        if ((held & ~toState) == 0) {
            return breaking;
        }
        int delayMask = (sharingViolation ? LeaseState.H : LeaseState.W) | alsoLost;
        return (held & delayMask) != 0 || (breaking && !firstAttempt);
    }

    /** A write or byte-range lock through another lease removes read caching ([MS-FSA] 2.1.4.12). */
    public static int breakToForWrite(int held) {
        return held & ~(LeaseState.R | LeaseState.W);
    }

    /** [MS-SMB2] 3.3.4.7: a break needs an acknowledgement unless the lease held read caching only. */
    public static boolean ackRequired(int fromState) {
        return (fromState & (LeaseState.W | LeaseState.H)) != 0;
    }

    /**
     * Every break a new open of {@code access} needs, from the file's record and the states of the
     * leases its opens hold ({@code breaking}: those with a break under way). A stat open breaks nothing;
     * the requester's own lease key is never broken.
     */
    public static List<BreakNeeded> forNewOpen(ShareModeRecord file, Map<LeaseKey, Integer> leaseStates,
                                               LeaseKey requester, int access, boolean sharingViolation,
                                               boolean overwrite) {
        return forNewOpen(file, leaseStates, Set.of(), requester, access, sharingViolation, overwrite,
            LeaseState.NONE);
    }

    /**
     * {@link #forNewOpen} where the leases in {@code breaking} have a break under way, and other leases
     * also lose {@code alsoLost}: handle caching for a delete-on-close open, so that the holders close
     * the handles they keep and the file can go ([MS-FSA] 2.1.5.1.2.1; smbtorture smb2.lease.unlink).
     */
    public static List<BreakNeeded> forNewOpen(ShareModeRecord file, Map<LeaseKey, Integer> leaseStates,
                                               Set<LeaseKey> breaking, LeaseKey requester, int access,
                                               boolean sharingViolation, boolean overwrite, int alsoLost) {
        List<BreakNeeded> out = new ArrayList<>();
        if (OplockRules.isStatOpen(access)) {
            return out;
        }
        for (OpenEntry o : file.opens()) {
            if (o.oplockLevel() == OplockLevel.LEASE) {
                if (isStatOpen(access) || o.leaseKey().equals(requester) || out.stream().anyMatch(b ->
                    b instanceof LeaseBreakNeeded l && l.key().equals(o.leaseKey())
                        || b instanceof LeaseStillBreaking l2 && l2.key().equals(o.leaseKey()))) {
                    continue;
                }
                int held = leaseStates.getOrDefault(o.leaseKey(), LeaseState.NONE);
                int to = breakToForOpen(held, sharingViolation, overwrite) & ~alsoLost;
                if ((held & ~to) != 0) {
                    out.add(new LeaseBreakNeeded(o.leaseKey(), to));
                } else if (breaking.contains(o.leaseKey())) {
                    out.add(new LeaseStillBreaking(o.leaseKey()));
                }
            } else if (o.oplockLevel() != OplockLevel.NONE) {
                int to = OplockRules.breakToForOpen(o.oplockLevel(), sharingViolation, overwrite);
                if (to != o.oplockLevel()) {
                    out.add(new OplockBreakNeeded(o.openId(), to));
                }
            }
        }
        return out;
    }

    /**
     * [MS-SMB2] 3.3.5.22.2: STATUS_UNSUCCESSFUL when no break is in progress, STATUS_REQUEST_NOT_ACCEPTED
     * when the acknowledged state is not within the state the break went to, else STATUS_SUCCESS.
     */
    public static int checkAcknowledgement(Lease lease, int ackState) {
        if (!lease.isBreaking()) {
            return StateStatus.UNSUCCESSFUL;
        }
        if ((ackState & ~lease.breakingTo()) != 0) {
            return NtStatus.REQUEST_NOT_ACCEPTED;
        }
        return NtStatus.SUCCESS;
    }
}
