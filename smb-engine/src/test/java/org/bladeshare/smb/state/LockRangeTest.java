package org.bladeshare.smb.state;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** [MS-FSA] 2.1.5.7 range validity and overlap, with offsets near 2^64 (hex, unsigned). */
class LockRangeTest {

    private static long u(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }

    @ParameterizedTest(name = "{0}+{1} valid={2}")
    @CsvSource({
        "0, 0, true",
        "0, ffffffffffffffff, true",
        "1, ffffffffffffffff, true",
        "2, ffffffffffffffff, false",
        "ffffffffffffffff, 1, true",
        "ffffffffffffffff, 2, false",
        "ffffffffffffffff, 0, true",
        "8000000000000000, 8000000000000000, true",
        "8000000000000000, 8000000000000001, false",
    })
    void validity(String offset, String length, boolean valid) {
        assertEquals(valid, new LockRange(u(offset), u(length)).isValid());
    }

    @ParameterizedTest(name = "{0}+{1} vs {2}+{3} -> {4}")
    @CsvSource({
        "0, a, a, a, false",
        "0, a, 9, a, true",
        "5, 0, 0, a, true",
        "0, 0, 0, a, false",
        "a, 0, 0, a, false",
        "5, 0, 5, 0, false",
        "5, 1, 5, 1, true",
        "fffffffffffffff6, a, ffffffffffffffff, 1, true",
        "fffffffffffffff6, a, 0, fffffffffffffff6, false",
        "fffffffffffffff6, a, ffffffffffffffff, 0, true",
        "0, ffffffffffffffff, fffffffffffffffe, 1, true",
    })
    void overlapIsSymmetric(String o1, String l1, String o2, String l2, boolean overlap) {
        LockRange a = new LockRange(u(o1), u(l1));
        LockRange b = new LockRange(u(o2), u(l2));
        assertEquals(overlap, a.overlaps(b));
        assertEquals(overlap, b.overlaps(a));
    }
}
