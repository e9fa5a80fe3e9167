package org.bladeshare.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waiting for a condition, polling every 10 ms. */
public final class Await {
    private Await() {
    }

    /** Waits until the condition holds; returns the milliseconds it took, fails after {@code limit}. */
    public static long until(Duration limit, BooleanSupplier condition, Supplier<String> whatFailed) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + whatFailed.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
