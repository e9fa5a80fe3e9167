package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.bladeshare.smb.state.SessionUsage.Resource.OPENS;
import static org.bladeshare.smb.state.SessionUsage.Resource.PENDING_LOCKS;
import static org.bladeshare.smb.state.SessionUsage.Resource.PENDING_NOTIFIES;
import static org.bladeshare.smb.state.StateAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SessionLimitsTest {

    @Test
    void eachResourceStopsAtItsLimitWithInsufficientResources() {
        SessionUsage u = new SessionLimits(2, 1, 0).newUsage();
        assertStatus(NtStatus.SUCCESS, u.tryAcquire(OPENS));
        assertStatus(NtStatus.SUCCESS, u.tryAcquire(OPENS));
        assertStatus(NtStatus.INSUFFICIENT_RESOURCES, u.tryAcquire(OPENS));
        assertEquals(2, u.inUse(OPENS), "a refused request takes nothing");
        assertStatus(NtStatus.SUCCESS, u.tryAcquire(PENDING_LOCKS));
        assertStatus(NtStatus.INSUFFICIENT_RESOURCES, u.tryAcquire(PENDING_LOCKS));
        assertStatus(NtStatus.INSUFFICIENT_RESOURCES, u.tryAcquire(PENDING_NOTIFIES));
        u.release(OPENS);
        assertStatus(NtStatus.SUCCESS, u.tryAcquire(OPENS), "released units can be taken again");
    }

    @Test
    void releaseNeverGoesNegative() {
        SessionUsage u = new SessionLimits(1, 1, 1).newUsage();
        u.release(OPENS);
        assertEquals(0, u.inUse(OPENS));
        assertStatus(NtStatus.SUCCESS, u.tryAcquire(OPENS));
        assertStatus(NtStatus.INSUFFICIENT_RESOURCES, u.tryAcquire(OPENS));
    }

    @Test
    void badLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SessionLimits(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SessionLimits(1, -1, 1));
    }

    @Test
    void concurrentAcquiresNeverExceedTheLimit() throws Exception {
        SessionUsage u = new SessionLimits(50, 1, 1).newUsage();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                tasks.add(() -> u.tryAcquire(OPENS));
            }
            int granted = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                granted += f.get() == NtStatus.SUCCESS ? 1 : 0;
            }
            assertEquals(50, granted);
            assertEquals(50, u.inUse(OPENS));
        } finally {
            pool.shutdownNow();
        }
    }
}
