package org.bladeshare.smb.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestSchedulerTest {
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void exclusiveTasksRunOneAtATimeInArrivalOrder() throws Exception {
        RequestScheduler scheduler = new RequestScheduler(threads, 4);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            int n = i;
            scheduler.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(n);
                Thread.onSpinWait();
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(1, mostAtOnce.get());
        for (int i = 0; i < 200; i++) {
            assertEquals(i, order.get(i));
        }
    }

    @Test
    void anIdleSchedulerRunsTheTaskOnTheCallersThread() {
        RequestScheduler scheduler = new RequestScheduler(threads, 4);
        Thread[] ranOn = new Thread[1];
        assertTrue(scheduler.executeHereIfIdle(() -> ranOn[0] = Thread.currentThread(), false));
        assertEquals(Thread.currentThread(), ranOn[0]);
        assertEquals(0, scheduler.pending(), "nothing is left running after it");
    }

    @Test
    void aBusySchedulerQueuesTheTaskBehindWhatIsPendingInOrder() throws Exception {
        RequestScheduler scheduler = new RequestScheduler(threads, 4);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        scheduler.execute(() -> {
            await(release);
            order.add("first");
        });
        Thread[] ranOn = new Thread[1];
        assertFalse(scheduler.executeHereIfIdle(() -> {
            ranOn[0] = Thread.currentThread();
            order.add("second");
            done.countDown();
        }, false), "the caller does not wait for the running task");
        assertTrue(order.isEmpty());
        release.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("first", "second"), order);
        assertFalse(Thread.currentThread().equals(ranOn[0]));
    }

    @Test
    void whatQueuesWhileATaskRunsHereRunsAfterItElsewhere() throws Exception {
        RequestScheduler scheduler = new RequestScheduler(threads, 4);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        Thread[] laterRanOn = new Thread[1];
        assertTrue(scheduler.executeHereIfIdle(() -> {
            scheduler.execute(() -> {
                laterRanOn[0] = Thread.currentThread();
                order.add("later");
                done.countDown();
            });
            order.add("here");
        }, false));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("here", "later"), order);
        assertFalse(caller.equals(laterRanOn[0]), "the caller's thread is given back once its own task is done");
    }

    @Test
    void overlappingTasksRunTogetherUpToTheLimit() throws Exception {
        RequestScheduler scheduler = new RequestScheduler(threads, 3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            scheduler.executeOverlapping(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                started.countDown();
                await(release);
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertTrue(started.await(5, TimeUnit.SECONDS), "three WRITEs run at once");
        Thread.sleep(100);
        assertEquals(3, running.get(), "no more than the limit run at once");
        release.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(3, mostAtOnce.get());
        // a task counts its latch down just before the scheduler counts it finished
        assertEquals(0, pendingOnceSettled(scheduler), "nothing is left queued or running");
    }

    @Test
    void anExclusiveTaskWaitsForEveryOverlappingTaskBeforeItAndHoldsBackThoseAfter() throws Exception {
        RequestScheduler scheduler = new RequestScheduler(threads, 4);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothStarted = new CountDownLatch(2);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(4);
        for (String w : List.of("write1", "write2")) {
            scheduler.executeOverlapping(() -> {
                bothStarted.countDown();
                await(release);
                events.add(w + " done");
                done.countDown();
            });
        }
        scheduler.execute(() -> { // a CLOSE
            events.add("close");
            done.countDown();
        });
        scheduler.executeOverlapping(() -> { // a WRITE sent after the CLOSE
            events.add("write3");
            done.countDown();
        });
        assertTrue(bothStarted.await(5, TimeUnit.SECONDS));
        Thread.sleep(100);
        assertFalse(events.contains("close"), "the CLOSE does not overtake the WRITEs before it");
        assertFalse(events.contains("write3"), "nor does a WRITE after the CLOSE");
        release.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("close", "write3"), events.subList(2, 4));
        assertTrue(events.subList(0, 2).containsAll(List.of("write1 done", "write2 done")));
    }

    @Test
    void aFailingTaskDoesNotStallTheTasksBehindIt() throws Exception {
        RequestScheduler scheduler = new RequestScheduler(threads, 2);
        CountDownLatch after = new CountDownLatch(2);
        scheduler.execute(() -> {
            throw new IllegalStateException("a handler bug (expected in this test)");
        });
        scheduler.executeOverlapping(after::countDown);
        scheduler.execute(after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS));
    }

    @Test
    void nothingRunsOnceTheBackingExecutorIsShutDown() throws Exception {
        ExecutorService stopped = Executors.newVirtualThreadPerTaskExecutor();
        stopped.shutdown();
        RequestScheduler scheduler = new RequestScheduler(stopped, 2);
        AtomicInteger ran = new AtomicInteger();
        scheduler.execute(ran::incrementAndGet);
        scheduler.executeOverlapping(ran::incrementAndGet);
        assertEquals(0, ran.get());
        assertEquals(0, scheduler.pending(), "refused work is dropped, not left queued");
    }

    /** The scheduler's pending count once it reaches 0, or after 5 s, whichever comes first. */
    private static int pendingOnceSettled(RequestScheduler scheduler) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (scheduler.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return scheduler.pending();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
