package org.bladeshare.smb.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one event loop carries: the connections it serves, and since when it has been running a
 * request itself ({@link RequestScheduler#executeHereIfIdle}) rather than only moving bytes. A loop
 * doing a request reads no other connection's socket until the request is done: most take
 * microseconds, one waiting on a clustered record during recovery may take seconds.
 */
final class LoopLoad {
    /** A loop in a request loses against any loop with fewer than this many connections. */
    static final int BUSY = 1_000;

    final AtomicInteger connections = new AtomicInteger();
    /** {@link System#nanoTime} when the loop's current request began; 0 when it runs none. Written by the loop only. */
    private volatile long requestSince;

    /** The loop began a request at {@code nanoTime} ({@link System#nanoTime}). */
    void requestStarted(long nanoTime) {
        requestSince = nanoTime == 0 ? 1 : nanoTime;
    }

    void requestEnded() {
        requestSince = 0;
    }

    /** Lower is better: a loop in a request counts as if it served many connections. */
    int score() {
        return connections.get() + (requestSince != 0 ? BUSY : 0);
    }

    /** How long the loop's current request has run at {@code now}; 0 when it runs none. */
    long requestRunningFor(long now) {
        long since = requestSince;
        return since == 0 ? 0 : Math.max(0, now - since);
    }
}
