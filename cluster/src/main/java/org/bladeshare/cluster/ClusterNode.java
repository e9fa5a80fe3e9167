package org.bladeshare.cluster;

import org.bladeshare.cluster.bus.ClusterBus;
import org.bladeshare.cluster.bus.MessageBus;
import org.bladeshare.cluster.db.PersistentDb;
import org.bladeshare.cluster.db.PersistentService;
import org.bladeshare.cluster.db.ReplicatedDb;
import org.bladeshare.cluster.db.ReplicatedService;
import org.bladeshare.cluster.db.VolatileDb;
import org.bladeshare.cluster.db.VolatileService;
import org.bladeshare.cluster.db.VolatileStore;
import org.bladeshare.cluster.membership.AdminFlags;
import org.bladeshare.cluster.membership.JGroupsStack;
import org.bladeshare.cluster.membership.MemberIdentity;
import org.bladeshare.cluster.membership.MembershipTable;
import org.bladeshare.cluster.membership.NodeState;
import org.bladeshare.cluster.membership.NodeStatus;
import org.bladeshare.cluster.membership.ViewSnapshot;
import org.bladeshare.cluster.recovery.RecoveryLock;
import org.bladeshare.cluster.recovery.RecoveryMaster;
import org.bladeshare.cluster.recovery.RecoveryStats;
import org.bladeshare.cluster.transport.MessageCounter;
import org.bladeshare.cluster.transport.Messenger;
import org.bladeshare.cluster.wire.WireMessage;
import org.bladeshare.cluster.wire.WireMessage.NodeFlags;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cluster node: JGroups membership over TCP with a static peer list, the node's
 * persistent, volatile and replicated databases, recovery (run while coordinator and holder
 * of the recovery lock), administrative node states and the message bus. {@link #start}
 * returns once the channel is connected; the view and recovery converge in the background.
 */
public final class ClusterNode implements Cluster {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    static final String CLUSTER_NAME = "bladeshare";
    private static final Duration MAX_BAN = Duration.ofDays(1);

    private final ClusterConfig config;
    private final int pnn;
    private final Messenger messenger;
    private final PersistentService persistent;
    private final VolatileService volatiles;
    private final ReplicatedService replicated;
    private final ClusterBus bus;
    private final RecoveryMaster recovery;
    private final Map<Integer, String> knownNames = new ConcurrentHashMap<>();
    private final Map<Integer, AdminFlags> flags = new ConcurrentHashMap<>();
    private volatile JChannel channel;
    private volatile ViewSnapshot view;
    private volatile boolean closed;

    private ClusterNode(ClusterConfig config, int pnn, Path dataDir, ClusterTunables tunables) throws IOException {
        this.config = config;
        this.pnn = pnn;
        this.messenger = new Messenger(this::viewChanged);
        this.persistent = new PersistentService(dataDir, messenger);
        this.volatiles = new VolatileService(pnn, messenger, () -> view);
        this.replicated = new ReplicatedService(pnn, messenger, () -> view);
        this.bus = new ClusterBus(pnn, messenger, () -> view);
        this.recovery = new RecoveryMaster(messenger, () -> view, this::inactiveNodes, persistent,
                new RecoveryLock(config.sharedDir()), tunables.recoveryBan());
        persistent.lockRefusedBy(recovery::lockRefused);
        persistent.recoveryNeededBy(recovery::trigger);
        knownNames.put(pnn, config.nodeName());
        messenger.handle(NodeFlags.class, true, (from, f) -> {
            flagsReceived(f);
            return null;
        });
        messenger.handle(WireMessage.BanRequest.class, true, (from, b) -> {
            if (b.pnn() == pnn && !closed) {
                LOG.warn("{} banned by the coordinator for {} ms: {}", config.nodeName(), b.millis(), b.reason());
                ban(Duration.ofMillis(Math.max(1000, b.millis())));
            }
            return null;
        });
    }

    /**
     * Starts a node and connects it to the cluster.
     *
     * @throws IOException if the configuration is unusable, the data directory is not
     *                     writable, or the cluster address cannot be bound
     */
    public static ClusterNode start(ClusterConfig config) throws IOException {
        return start(config, ClusterTunables.DEFAULTS);
    }

    /** As {@link #start(ClusterConfig)}, with other timings. */
    public static ClusterNode start(ClusterConfig config, ClusterTunables tunables) throws IOException {
        return start(config, tunables, true);
    }

    /**
     * As {@link #start(ClusterConfig, ClusterTunables)}; with {@code healthyAtStart} false the
     * node joins as UNHEALTHY (CTDB's state of a node whose services are still starting) and
     * shows OK only after {@link #reportHealth(boolean) reportHealth(true)}, so that no peer
     * sends clients or work to a node that cannot serve them yet.
     */
    public static ClusterNode start(ClusterConfig config, ClusterTunables tunables, boolean healthyAtStart)
            throws IOException {
        if (tunables == null) {
            throw new IOException("No cluster tunables given.");
        }
        int pnn = validate(config);
        Path dataDir = config.dataDir();
        try {
            Files.createDirectories(dataDir.resolve("db"));
            Path probe = Files.createTempFile(dataDir.resolve("db"), ".probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IOException("Data directory " + dataDir + " is not writable (" + e.getMessage() + ").", e);
        }
        ClusterNode node = new ClusterNode(config, pnn, dataDir, tunables);
        if (!healthyAtStart) {
            node.flags.put(pnn, AdminFlags.NONE.withUnhealthy(true));
        }
        try {
            JChannel ch = new JChannel(JGroupsStack.build(config.bind(), config.peers(), tunables));
            ch.name(config.nodeName());
            MemberIdentity identity = new MemberIdentity(pnn, config.nodeName(), !healthyAtStart);
            ch.addAddressGenerator(identity::newAddress);
            node.channel = ch;
            node.messenger.attach(ch);
            ch.connect(CLUSTER_NAME);
        } catch (Exception e) {
            node.close();
            String where = MembershipTable.addressOf(config.bind());
            if (rootCause(e) instanceof java.net.BindException) {
                throw new java.net.BindException("the cluster port " + where + " is in use");
            }
            throw new IOException("cannot join the cluster on " + where + ": " + rootMessage(e), e);
        }
        LOG.info("node {} (pnn {}) connected on {}", config.nodeName(), pnn, config.bind());
        return node;
    }

    private static int validate(ClusterConfig config) throws IOException {
        if (config.nodeName() == null || config.nodeName().isBlank()) {
            throw new IOException("The node name must not be empty.");
        }
        if (config.bind() == null || config.bind().isUnresolved()) {
            throw new IOException("The bind address " + config.bind() + " is not a resolved address.");
        }
        if (config.dataDir() == null || config.sharedDir() == null) {
            throw new IOException("Both a data directory and a shared directory must be configured.");
        }
        if (new HashSet<>(config.peers()).size() != config.peers().size()) {
            throw new IOException("The peer list " + config.peers() + " names a node twice.");
        }
        int pnn = config.peers().indexOf(config.bind());
        if (pnn < 0) {
            throw new IOException("The bind address " + MembershipTable.addressOf(config.bind())
                    + " is not in the peer list " + config.peers() + ".");
        }
        return pnn;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = rootCause(e);
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    // ---- membership ----

    private void viewChanged(View v) {
        ViewSnapshot old = view;
        ViewSnapshot now = ViewSnapshot.of(v, pnn);
        view = now;
        for (Address a : v.getMembers()) {
            MemberIdentity.of(a).ifPresent(id -> knownNames.put(id.pnn(), id.name()));
        }
        flags.keySet().removeIf(p -> p != pnn && !now.addresses().containsKey(p));
        List<Address> joined = new ArrayList<>();
        for (var e : now.addresses().entrySet()) {
            if (e.getKey() != pnn && (old == null || !old.addresses().containsKey(e.getKey()))) {
                joined.add(e.getValue());
            }
        }
        LOG.info("{}: view {}", config.nodeName(), v);
        persistent.viewChanged(v);
        replicated.membersJoined(joined);
        // Greet every new member with this node's flags, even NONE: a member that joined while
        // starting carries that mark in its address for good, so a later joiner learns that it
        // has become healthy only from this message.
        sendFlags(joined, flags.getOrDefault(pnn, AdminFlags.NONE));
        recovery.trigger();
    }

    private Set<Integer> inactiveNodes() {
        long now = System.nanoTime();
        Set<Integer> off = new TreeSet<>();
        flags.forEach((p, f) -> {
            if (!f.active(now)) {
                off.add(p);
            }
        });
        return off;
    }

    @Override
    public int pnn() {
        return pnn;
    }

    @Override
    public List<NodeStatus> nodes() {
        ViewSnapshot v = view;
        List<MemberIdentity> members = new ArrayList<>();
        if (v != null && !closed) {
            for (Address a : v.view().getMembers()) {
                MemberIdentity.of(a).ifPresent(members::add);
            }
        }
        long now = System.nanoTime();
        Map<Integer, NodeState> states = new HashMap<>();
        flags.forEach((p, f) -> states.put(p, f.state(now)));
        for (MemberIdentity m : members) {
            // A member that joined while starting is UNHEALTHY until its flags say otherwise:
            // the mark travels in its address, so it holds from the first view that has it.
            if (m.joinedStarting()) {
                states.putIfAbsent(m.pnn(), NodeState.UNHEALTHY);
            }
        }
        return MembershipTable.statuses(config.peers(), pnn, members, knownNames, states);
    }

    // ---- databases ----

    @Override
    public PersistentDb persistent(String name) {
        requireOpen();
        return persistent.attach(name);
    }

    @Override
    public VolatileDb volatileDb(String name) {
        requireOpen();
        return volatiles.attach(name);
    }

    @Override
    public ReplicatedDb replicated(String name) {
        requireOpen();
        return replicated.attach(name);
    }

    @Override
    public List<String> databases() {
        Set<String> names = new TreeSet<>(persistent.names());
        names.addAll(volatiles.names());
        names.addAll(replicated.names());
        return List.copyOf(names);
    }

    /** The sequence number of this node's copy of a persistent database, 0 if it has none (CTDB's getdbseqnum). */
    public long persistentSeq(String name) {
        return persistent.seqs().getOrDefault(name, 0L);
    }

    /** Commit timings of the persistent databases on this node (see {@link PersistentService.CommitStats}). */
    public PersistentService.CommitStats persistentCommitStats() {
        return persistent.commitStats();
    }

    /** Names of the persistent databases this node holds. */
    public List<String> persistentDatabases() {
        return persistent.names();
    }

    @Override
    public MessageBus bus() {
        return bus;
    }

    // ---- administration (CTDB's disable/enable/stop/continue/ban/unban) ----

    @Override
    public void disable() {
        changeFlags(f -> f.withDisabled(true));
    }

    @Override
    public void enable() {
        changeFlags(f -> f.withDisabled(false));
    }

    @Override
    public void stop() {
        changeFlags(f -> f.withStopped(true));
    }

    @Override
    public void cont() {
        changeFlags(f -> f.withStopped(false));
    }

    @Override
    public void ban(Duration duration) {
        if (duration == null || duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_BAN) > 0) {
            throw new IllegalArgumentException("a ban lasts from 1 second to 1 day, not " + duration);
        }
        long until = System.nanoTime() + duration.toNanos();
        changeFlags(f -> f.withBannedUntil(until));
        Thread.ofVirtual().name("unban-" + config.nodeName()).start(() -> {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                return;
            }
            AdminFlags f = flags.getOrDefault(pnn, AdminFlags.NONE);
            if (!closed && f.bannedUntilNanos() == until) {
                unban();
            }
        });
    }

    @Override
    public void unban() {
        changeFlags(f -> f.withBannedUntil(0));
    }

    @Override
    public void reportHealth(boolean healthy) {
        if (flags.getOrDefault(pnn, AdminFlags.NONE).unhealthy() == healthy) {
            changeFlags(f -> f.withUnhealthy(!healthy));
        }
    }

    private void changeFlags(java.util.function.UnaryOperator<AdminFlags> change) {
        requireOpen();
        AdminFlags updated = flags.compute(pnn, (p, f) -> change.apply(f == null ? AdminFlags.NONE : f));
        ViewSnapshot v = view;
        if (v != null) {
            List<Address> others = new ArrayList<>();
            v.addresses().forEach((p, a) -> {
                if (p != pnn) {
                    others.add(a);
                }
            });
            sendFlags(others, updated);
        }
        recovery.trigger();
    }

    private void sendFlags(List<Address> to, AdminFlags f) {
        NodeFlags msg = new NodeFlags(pnn, f.disabled(), f.stopped(), f.bannedForMillis(System.nanoTime()),
                f.unhealthy());
        for (Address a : to) {
            try {
                messenger.send(a, msg);
            } catch (IOException e) {
                LOG.debug("flags to {} not sent: {}", a, e.getMessage());
            }
        }
    }

    private void flagsReceived(NodeFlags f) {
        long until = f.bannedForMillis() > 0 ? System.nanoTime() + f.bannedForMillis() * 1_000_000 : 0;
        flags.put(f.pnn(), new AdminFlags(f.disabled(), f.stopped(), until, f.unhealthy()));
        recovery.trigger();
    }

    // ---- recovery and diagnostics ----

    /** {@code ctdb recover}: runs a recovery now if this node is the coordinator. */
    public boolean requestRecovery() {
        ViewSnapshot v = view;
        if (v == null || !v.selfIsCoordinator()) {
            return false;
        }
        recovery.trigger();
        return true;
    }

    /** The last recovery this node ran as coordinator, or null. */
    public RecoveryStats lastRecovery() {
        return recovery.last();
    }

    /** Whether this node holds the recovery lock (it is the coordinator of the serving side). */
    @Override
    public boolean holdsRecoveryLock() {
        return recovery.holdsLock();
    }

    /** The volatile databases' recovery generation on this node (0 before the first recovery). */
    public long generation() {
        return volatiles.generation();
    }

    /** Whether this node's volatile databases are thawed in a generation (usable). */
    @Override
    public boolean serving() {
        return !volatiles.frozen() && volatiles.generation() > 0;
    }

    /** This node's local copy of a volatile database (diagnostics: {@code bladectl db dump}). */
    public VolatileStore localVolatileCopy(String name) {
        return volatiles.store(name);
    }

    /**
     * Failure injection for tests of the recovery ban: while set, this node answers every
     * recovery freeze with an error, as a node with a broken database would.
     */
    public void failRecoveryForTest(boolean fail) {
        volatiles.failFreezes(fail);
    }

    /** Messages this node has sent to other nodes (for tests and {@code bladectl statistics}). */
    public MessageCounter messages() {
        return messenger.counter();
    }

    public ClusterConfig config() {
        return config;
    }

    private void requireOpen() {
        if (closed) {
            throw new ClusterException("node " + config.nodeName() + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        volatiles.close();
        persistent.beginClose();
        recovery.close();
        JChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the channel of {}: {}", config.nodeName(), e.toString());
            }
        }
        messenger.close();
        persistent.close();
    }
}
