package org.bladeshare.smb.server;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Gives a new connection the event loop with the least {@link LoopLoad#score}: one that is not in
 * a request of another connection, then the one with the fewest connections; between loops that
 * are all in a request, the one whose request began last (the others may be waiting on
 * something); remaining ties go round the loops in turn. Netty's default, round robin, would
 * put a new client on a loop whose only connection is waiting inside a request (a file system
 * call, a clustered record during recovery), and that client could not even NEGOTIATE until the
 * request ended.
 */
public final class LeastBusyLoopChooser implements EventExecutorChooserFactory {
    private final Function<EventExecutor, LoopLoad> loads;

    LeastBusyLoopChooser(Function<EventExecutor, LoopLoad> loads) {
        this.loads = loads;
    }

    @Override
    public EventExecutorChooser newChooser(EventExecutor[] executors) {
        EventExecutor[] loops = executors.clone();
        AtomicInteger turn = new AtomicInteger();
        return () -> {
            long now = System.nanoTime();
            int start = Math.floorMod(turn.getAndIncrement(), loops.length);
            EventExecutor best = null;
            int bestScore = Integer.MAX_VALUE;
            long bestRunningFor = Long.MAX_VALUE;
            for (int k = 0; k < loops.length; k++) {
                EventExecutor e = loops[(start + k) % loops.length];
                LoopLoad load = loads.apply(e);
                int score = load.score();
                long runningFor = load.requestRunningFor(now);
                if (score < bestScore || score == bestScore && runningFor < bestRunningFor) {
                    best = e;
                    bestScore = score;
                    bestRunningFor = runningFor;
                }
            }
            return best;
        };
    }
}
