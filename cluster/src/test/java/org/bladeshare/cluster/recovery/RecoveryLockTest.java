package org.bladeshare.cluster.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryLockTest {
    @TempDir
    Path shared;

    @Test
    void onlyOneHolderAtATimeAndReleaseHandsItOn() {
        try (RecoveryLock a = new RecoveryLock(shared); RecoveryLock b = new RecoveryLock(shared)) {
            assertTrue(a.tryAcquire());
            assertTrue(a.tryAcquire(), "taking it again while held is fine");
            assertFalse(b.tryAcquire());
            assertFalse(b.held());
            a.release();
            assertTrue(b.tryAcquire());
            assertFalse(a.tryAcquire());
            assertTrue(Files.exists(shared.resolve(RecoveryLock.FILE_NAME)));
        }
    }

    @Test
    void anUnusableSharedDirIsRefusedNotThrown() throws Exception {
        Path file = Files.writeString(shared.resolve("plain-file"), "x");
        try (RecoveryLock l = new RecoveryLock(file)) {
            assertFalse(l.tryAcquire());
        }
    }
}
