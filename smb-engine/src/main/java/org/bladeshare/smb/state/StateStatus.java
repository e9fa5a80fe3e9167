package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

/** NTSTATUS values the state rules return that {@link NtStatus} does not list yet ([MS-ERREF] 2.3.1). */
public final class StateStatus {
    private StateStatus() {
    }

    /** A lock range whose end wraps past 2^64 ([MS-FSA] 2.1.5.7). */
    public static final int INVALID_LOCK_RANGE = 0xC00001A1;
    /** A durable v2 create whose CreateGuid is already in use ([MS-SMB2] 3.3.5.9.10). */
    public static final int DUPLICATE_OBJECTID = 0xC000022A;
    /** A lease break acknowledgement when no break is in progress ([MS-SMB2] 3.3.5.22.2). */
    public static final int UNSUCCESSFUL = 0xC0000001;

    /** A name for logs and assertion messages, covering these and {@link NtStatus}. */
    public static String name(int status) {
        return switch (status) {
            case INVALID_LOCK_RANGE -> "INVALID_LOCK_RANGE";
            case DUPLICATE_OBJECTID -> "DUPLICATE_OBJECTID";
            case UNSUCCESSFUL -> "UNSUCCESSFUL";
            default -> NtStatus.name(status);
        };
    }
}
