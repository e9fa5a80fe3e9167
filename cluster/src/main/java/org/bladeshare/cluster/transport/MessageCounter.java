package org.bladeshare.cluster.transport;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts the messages this node sent to other nodes, by message type. */
public final class MessageCounter {
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    void sent(String type) {
        sent.computeIfAbsent(type, t -> new LongAdder()).increment();
        total.increment();
    }

    /** Messages sent to other nodes since this node started. */
    public long total() {
        return total.sum();
    }

    /** Messages sent to other nodes, by message type name. */
    public Map<String, Long> byType() {
        Map<String, Long> copy = new TreeMap<>();
        sent.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
