package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.server.AccessMask;

/** Oplock grant, break and acknowledgement rules as pure functions ([MS-SMB2] 3.3.5.9, 3.3.4.6, 3.3.5.22.1). */
public final class OplockRules {
    private OplockRules() {
    }

    /** Orders oplock levels: none < level II < exclusive < batch. */
    public static int rank(int level) {
        return switch (level) {
            case OplockLevel.LEVEL_II -> 1;
            case OplockLevel.EXCLUSIVE -> 2;
            case OplockLevel.BATCH -> 3;
            default -> 0;
        };
    }

    private static final int STAT_BITS = AccessMask.SYNCHRONIZE | AccessMask.FILE_READ_ATTRIBUTES
        | AccessMask.FILE_WRITE_ATTRIBUTES;

    /** A "stat open" asks only for attributes or SYNCHRONIZE: it breaks no oplock and blocks none. */
    public static boolean isStatOpen(int access) {
        return (access & STAT_BITS) != 0 && (access & ~STAT_BITS) == 0;
    }

    /**
     * The most an oplock request may get whatever the other opens: nothing while another open holds a
     * handle-caching lease or the file has byte-range locks (no read caching over locks), else batch.
     */
    public static int ceiling(boolean otherHandleLease, boolean fileHasLocks) {
        return otherHandleLease || fileHasLocks ? OplockLevel.NONE : OplockLevel.BATCH;
    }

    /**
     * The oplock an open may hold given the file's other opens ([MS-SMB2] 3.3.5.9, [MS-FSA] 2.1.5.17):
     * exclusive or batch only when no other open holds an oplock or lease or asks for more than
     * attributes; level II otherwise; none while another open's exclusive or batch oplock is not yet
     * broken. Never above {@code ceiling}.
     */
    public static int grantable(ShareModeRecord file, long openId, int requested, int ceiling) {
        if (requested == OplockLevel.NONE || requested == OplockLevel.LEASE) {
            return requested;
        }
        boolean others = false;
        for (OpenEntry o : file.opens()) {
            if (o.openId() == openId) {
                continue;
            }
            if (rank(o.oplockLevel()) >= 2) {
                return OplockLevel.NONE;
            }
            if (!isStatOpen(o.access()) || o.oplockLevel() != OplockLevel.NONE) {
                others = true;
            }
        }
        int level = others ? OplockLevel.LEVEL_II : requested;
        return rank(level) <= rank(ceiling) ? level : ceiling;
    }

    /**
     * The level another open's oplock must be broken to before a new open proceeds (as Samba and
     * Windows do, [MS-FSA] 2.1.4.12): exclusive and batch go to level II; on a sharing violation only
     * handle caching is at stake, so batch goes to level II and exclusive stays; an overwrite or
     * supersede takes every oplock to none. Unchanged when nothing is lost.
     */
    public static int breakToForOpen(int heldLevel, boolean sharingViolation, boolean overwrite) {
        int held = OplockLevel.asLeaseState(heldLevel);
        int to = overwrite ? LeaseState.NONE : held & ~(sharingViolation ? LeaseState.H : LeaseState.W);
        if ((held & ~to) == 0) {
            return heldLevel;
        }
        return (to & LeaseState.R) != 0 ? OplockLevel.LEVEL_II : OplockLevel.NONE;
    }

    /** Oplock break on a write or a byte-range lock by another open ([MS-FSA] 2.1.4.12): level II goes to none. */
    public static int breakToForWrite() {
        return OplockLevel.NONE;
    }

    /**
     * Validates an oplock break acknowledgement ([MS-SMB2] 3.3.5.22.1): only none or level II can be
     * acknowledged (else STATUS_INVALID_PARAMETER); with no break in progress, or acknowledging a higher
     * level than the break went to, STATUS_INVALID_OPLOCK_PROTOCOL.
     */
    public static int checkAcknowledgement(OpenEntry open, int ackLevel) {
        if (ackLevel != OplockLevel.NONE && ackLevel != OplockLevel.LEVEL_II) {
            return NtStatus.INVALID_PARAMETER;
        }
        if (!open.isBreaking() || rank(ackLevel) > rank(open.breakingTo())) {
            return NtStatus.INVALID_OPLOCK_PROTOCOL;
        }
        return NtStatus.SUCCESS;
    }
}
