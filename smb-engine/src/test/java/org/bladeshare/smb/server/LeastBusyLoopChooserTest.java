package org.bladeshare.smb.server;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory.EventExecutorChooser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Which event loop a new connection gets. */
class LeastBusyLoopChooserTest {
    private final EventExecutor[] loops = {new DefaultEventExecutor(), new DefaultEventExecutor(),
        new DefaultEventExecutor()};
    private final Map<EventExecutor, LoopLoad> loads = new HashMap<>();
    private final EventExecutorChooser chooser = new LeastBusyLoopChooser(
        l -> loads.computeIfAbsent(l, k -> new LoopLoad())).newChooser(loops);

    @AfterEach
    void stop() {
        for (EventExecutor l : loops) {
            l.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    private LoopLoad load(int i) {
        return loads.computeIfAbsent(loops[i], k -> new LoopLoad());
    }

    @Test
    void idleLoopsAreTakenInTurn() {
        Set<EventExecutor> chosen = new HashSet<>();
        for (int i = 0; i < loops.length; i++) {
            chosen.add(chooser.next());
        }
        assertEquals(loops.length, chosen.size(), "three choices among three idle loops use all three");
    }

    @Test
    void theLoopWithFewestConnectionsWins() {
        load(0).connections.set(3);
        load(1).connections.set(1);
        load(2).connections.set(2);
        for (int i = 0; i < 6; i++) {
            assertSame(loops[1], chooser.next(), "whichever loop the turn starts at");
        }
    }

    private static long aSecondAgo() {
        return System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
    }

    @Test
    void aLoopInARequestIsPassedOverEvenWithFewerConnections() {
        load(0).connections.set(1);
        load(0).requestStarted(aSecondAgo());
        load(1).connections.set(5);
        load(2).connections.set(7);
        for (int i = 0; i < 6; i++) {
            assertSame(loops[1], chooser.next());
        }
        load(0).requestEnded();
        assertSame(loops[0], chooser.next(), "once its request is done it is the least loaded again");
    }

    @Test
    void betweenLoopsInRequestsTheOneWhoseRequestBeganLastWins() {
        load(0).connections.set(1);
        load(0).requestStarted(aSecondAgo());
        load(1).connections.set(1);
        load(1).requestStarted(System.nanoTime());
        load(2).connections.set(1);
        load(2).requestStarted(aSecondAgo());
        for (int i = 0; i < 4; i++) {
            assertSame(loops[1], chooser.next(), "loops 0 and 2 have waited a second in a request; loop 1's just began");
        }
    }

    @Test
    void whenEveryLoopIsInARequestTheLeastConnectedOneWins() {
        for (int i = 0; i < loops.length; i++) {
            load(i).connections.set(4 - i);
            load(i).requestStarted(aSecondAgo());
        }
        assertSame(loops[2], chooser.next());
    }
}
