package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.server.AccessMask;

import java.util.List;

/** The share-mode check of [MS-FSA] 2.1.5.1.2 as a pure function over a file's opens. */
public final class ShareAccess {
    private ShareAccess() {
    }

    public static final int READ = 0x1;
    public static final int WRITE = 0x2;
    public static final int DELETE = 0x4;
    public static final int ALL = READ | WRITE | DELETE;

    private static final int READ_RIGHTS = AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE;
    private static final int WRITE_RIGHTS = AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA;

    /**
     * Whether an open takes part in share checks: only opens asking for data or delete access do
     * (attribute-only opens neither conflict nor are conflicted, as in Windows' IoCheckShareAccess).
     */
    public static boolean participates(int access) {
        return (access & (READ_RIGHTS | WRITE_RIGHTS | AccessMask.DELETE)) != 0;
    }

    /**
     * Checks a new open of {@code access} / {@code share} against the file's existing opens:
     * STATUS_DELETE_PENDING when the file is delete-pending ([MS-FSA] 2.1.5.1.2, File.PendingDelete),
     * STATUS_SHARING_VIOLATION when either side's access is not shared by the other
     * ([MS-FSA] 2.1.5.1.2.1), else STATUS_SUCCESS.
     */
    public static int check(boolean deletePending, List<OpenEntry> existing, int access, int share) {
        if (deletePending) {
            return NtStatus.DELETE_PENDING;
        }
        if (!participates(access)) {
            return NtStatus.SUCCESS;
        }
        for (OpenEntry e : existing) {
            if (!participates(e.access())) {
                continue;
            }
            if (conflicts(e.access(), share) || conflicts(access, e.shareAccess())) {
                return NtStatus.SHARING_VIOLATION;
            }
        }
        return NtStatus.SUCCESS;
    }

    /** Whether {@code access} of one open needs a share mode that {@code share} of the other does not give. */
    static boolean conflicts(int access, int share) {
        return ((access & READ_RIGHTS) != 0 && (share & READ) == 0)
            || ((access & WRITE_RIGHTS) != 0 && (share & WRITE) == 0)
            || ((access & AccessMask.DELETE) != 0 && (share & DELETE) == 0);
    }
}
