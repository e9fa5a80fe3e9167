package org.bladeshare.smb.state;

/** SMB2 oplock levels as on the wire ([MS-SMB2] 2.2.13 RequestedOplockLevel). */
public final class OplockLevel {
    private OplockLevel() {
    }

    public static final int NONE = 0x00;
    public static final int LEVEL_II = 0x01;
    public static final int EXCLUSIVE = 0x08;
    public static final int BATCH = 0x09;
    /** The open's caching is governed by its lease ([MS-SMB2] 2.2.13.2.8). */
    public static final int LEASE = 0xFF;

    public static boolean isValid(int level) {
        return level == NONE || level == LEVEL_II || level == EXCLUSIVE || level == BATCH || level == LEASE;
    }

    /** The equivalent lease caching state of an oplock ([MS-SMB2] 3.3.4.6 oplock to lease mapping). */
    public static int asLeaseState(int level) {
        return switch (level) {
            case LEVEL_II -> LeaseState.R;
            case EXCLUSIVE -> LeaseState.R | LeaseState.W;
            case BATCH -> LeaseState.R | LeaseState.W | LeaseState.H;
            default -> LeaseState.NONE;
        };
    }
}
