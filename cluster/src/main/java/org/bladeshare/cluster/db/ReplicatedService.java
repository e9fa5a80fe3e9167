package org.bladeshare.cluster.db;

import org.bladeshare.cluster.membership.ViewSnapshot;
import org.bladeshare.cluster.transport.Messenger;
import org.bladeshare.cluster.wire.WireMessage.ReplicatedPut;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** The replicated key/value databases of one node (see {@link ReplicatedDb}). */
public final class ReplicatedService {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedService.class);

    /** One key's newest write; value null is a delete (kept as a tombstone). */
    public record Entry(long clock, int pnn, byte[] value) {
        boolean newerThan(Entry o) {
            return o == null || clock > o.clock || (clock == o.clock && pnn > o.pnn);
        }
    }

    private final int self;
    private final Messenger messenger;
    private final Supplier<ViewSnapshot> view;
    private final AtomicLong clock = new AtomicLong();
    private final Map<String, Map<String, Entry>> dbs = new ConcurrentHashMap<>();
    private final Map<String, CopyOnWriteArrayList<BiConsumer<String, byte[]>>> watchers = new ConcurrentHashMap<>();

    public ReplicatedService(int self, Messenger messenger, Supplier<ViewSnapshot> view) {
        this.self = self;
        this.messenger = messenger;
        this.view = view;
        messenger.handle(ReplicatedPut.class, true, (from, p) -> {
            clock.accumulateAndGet(p.clock(), Math::max);
            apply(p.db(), p.key(), new Entry(p.clock(), p.pnn(), p.value()));
            return null;
        });
    }

    public java.util.List<String> names() {
        return dbs.keySet().stream().sorted().toList();
    }

    public ReplicatedDb attach(String name) {
        entries(name);
        return new Handle(name);
    }

    private Map<String, Entry> entries(String db) {
        if (db == null || !db.matches("[A-Za-z0-9_.-]{1,100}")) {
            throw new IllegalArgumentException("database name must be 1-100 of [A-Za-z0-9_.-], got: " + db);
        }
        return dbs.computeIfAbsent(db, d -> new ConcurrentHashMap<>());
    }

    private void apply(String db, String key, Entry e) {
        Map<String, Entry> m = entries(db);
        boolean[] changed = {false};
        m.compute(key, (k, old) -> {
            if (e.newerThan(old)) {
                changed[0] = true;
                return e;
            }
            return old;
        });
        if (changed[0]) {
            for (BiConsumer<String, byte[]> w : watchers.getOrDefault(db, new CopyOnWriteArrayList<>())) {
                try {
                    w.accept(key, e.value() == null ? null : e.value().clone());
                } catch (RuntimeException ex) {
                    LOG.warn("watcher of {} failed", db, ex);
                }
            }
        }
    }

    private void write(String db, String key, byte[] value) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        Entry e = new Entry(clock.incrementAndGet(), self, value == null ? null : value.clone());
        apply(db, key, e);
        ViewSnapshot v = view.get();
        if (v != null) {
            send(v.addresses().values(), new ReplicatedPut(db, key, e.clock(), e.pnn(), e.value()));
        }
    }

    private void send(Collection<Address> to, ReplicatedPut p) {
        for (Address a : to) {
            if (!a.equals(messenger.self())) {
                try {
                    messenger.send(a, p);
                } catch (IOException ex) {
                    LOG.debug("replicated write to {} not sent: {}", a, ex.getMessage());
                }
            }
        }
    }

    /** Gives members that just joined a copy of everything this node has. */
    public void membersJoined(Collection<Address> joined) {
        if (joined.isEmpty()) {
            return;
        }
        dbs.forEach((db, m) -> m.forEach((k, e) ->
                send(joined, new ReplicatedPut(db, k, e.clock(), e.pnn(), e.value()))));
    }

    private final class Handle implements ReplicatedDb {
        private final String name;

        Handle(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<byte[]> get(String key) {
            Entry e = entries(name).get(key);
            return e == null || e.value() == null ? Optional.empty() : Optional.of(e.value().clone());
        }

        @Override
        public void put(String key, byte[] value) {
            if (value == null) {
                throw new IllegalArgumentException("value must not be null (use delete)");
            }
            write(name, key, value);
        }

        @Override
        public void delete(String key) {
            write(name, key, null);
        }

        @Override
        public SortedMap<String, byte[]> snapshot() {
            SortedMap<String, byte[]> out = new TreeMap<>();
            entries(name).forEach((k, e) -> {
                if (e.value() != null) {
                    out.put(k, e.value().clone());
                }
            });
            return out;
        }

        @Override
        public AutoCloseable watch(BiConsumer<String, byte[]> listener) {
            watchers.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(listener);
            return () -> watchers.get(name).remove(listener);
        }
    }
}
