package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.server.AccessMask;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.bladeshare.smb.state.StateAssertions.assertStatus;
import static org.bladeshare.smb.state.StateAssertions.owner;

/** [MS-FSA] 2.1.5.1.2.1 share-access check, one existing open against one new open (R=read, W=write, D=delete, A=attributes). */
class ShareAccessTest {

    private static int access(String s) {
        int a = 0;
        for (char c : s.toCharArray()) {
            a |= switch (c) {
                case 'R' -> AccessMask.FILE_READ_DATA;
                case 'X' -> AccessMask.FILE_EXECUTE;
                case 'W' -> AccessMask.FILE_WRITE_DATA;
                case 'P' -> AccessMask.FILE_APPEND_DATA;
                case 'D' -> AccessMask.DELETE;
                case 'A' -> AccessMask.FILE_READ_ATTRIBUTES;
                default -> 0;
            };
        }
        return a;
    }

    private static int share(String s) {
        return (s.contains("R") ? ShareAccess.READ : 0) | (s.contains("W") ? ShareAccess.WRITE : 0)
            | (s.contains("D") ? ShareAccess.DELETE : 0);
    }

    @ParameterizedTest(name = "existing {0}/{1}, new {2}/{3} -> {4}")
    @CsvSource({
        "R, R, R, R, ok",
        "R, R, W, RW, violation",
        "R, RW, W, RW, ok",
        "R, RW, W, W, violation",
        "W, R, W, RW, violation",
        "W, R, R, RW, ok",
        "X, -, A, -, ok",
        "X, -, R, RWD, violation",
        "P, RW, R, R, violation",
        "D, RWD, R, RW, violation",
        "D, RWD, R, RWD, ok",
        "R, RW, D, RWD, violation",
        "A, -, RWD, -, ok",
        "RW, RWD, RW, RWD, ok",
    })
    void check(String existingAccess, String existingShare, String newAccess, String newShare, String outcome) {
        var existing = List.of(OpenEntry.of(owner(1, 1), access(existingAccess), share(existingShare)));
        int expected = outcome.equals("ok") ? NtStatus.SUCCESS : NtStatus.SHARING_VIOLATION;
        assertStatus(expected, ShareAccess.check(false, existing, access(newAccess), share(newShare)));
    }
}
