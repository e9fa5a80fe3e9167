package org.bladeshare.appliance;

import org.bladeshare.appliance.adapters.ApplianceConsoleBackend;
import org.bladeshare.appliance.adapters.ClusterShareRegistry;
import org.bladeshare.appliance.adapters.ClusterMessageBus;
import org.bladeshare.appliance.adapters.ClusterUserDirectory;
import org.bladeshare.appliance.adapters.VolatileRecordStore;
import org.bladeshare.appliance.admin.AdminProtocol;
import org.bladeshare.appliance.admin.AdminServer;
import org.bladeshare.appliance.config.AdminCredentials;
import org.bladeshare.appliance.config.DatabaseMap;
import org.bladeshare.appliance.config.ShareStore;
import org.bladeshare.appliance.config.UserStore;
import org.bladeshare.cluster.Cluster;
import org.bladeshare.cluster.ClusterConfig;
import org.bladeshare.cluster.ClusterNode;
import org.bladeshare.cluster.ClusterTunables;
import org.bladeshare.console.ConsoleConfig;
import org.bladeshare.console.ConsoleServer;
import org.bladeshare.hardware.Platform;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.SmbServerConfig;
import org.bladeshare.smb.warmup.DataPathWarmUp;
import org.bladeshare.smb.server.StatePorts;
import org.bladeshare.smb.state.RecordByteRangeLockTable;
import org.bladeshare.smb.state.RecordDurableHandleTable;
import org.bladeshare.smb.state.RecordLeaseTable;
import org.bladeshare.smb.state.RecordShareModeTable;
import org.bladeshare.smb.state.SessionLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Deque;
import java.util.UUID;

/**
 * The composition root: boots one blade by wiring the modules through their ports, and
 * shuts it down in the reverse order. Only this class knows every module.
 */
public final class Blade implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Blade.class);
    /** The server GUID every blade reports, so clients see one server ([MS-SMB2] 2.2.4). */
    static final UUID SERVER_GUID = UUID.nameUUIDFromBytes("bladeshare-cluster".getBytes(StandardCharsets.UTF_8));

    private final NodeSettings settings;
    private final Deque<AutoCloseable> started = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private Platform platform;
    private Cluster cluster;
    private UserStore users;
    private ShareStore shares;
    private AdminCredentials admin;
    private DatabaseMap databases;
    private SmbServer smb;
    private ConsoleServer console;

    public Blade(NodeSettings settings) {
        this.settings = settings;
    }

    /** Boots the blade; on failure closes what had started and throws a one-sentence {@link BootException}. */
    public Blade start() throws BootException {
        try {
            prepareDataDir();
            platform = Platform.select(settings.platform());
            startCluster();
            users = new UserStore(cluster.persistent(UserStore.DB));
            shares = new ShareStore(cluster.persistent(ShareStore.DB));
            admin = new AdminCredentials(cluster.persistent(AdminCredentials.DB));
            databases = new DatabaseMap(cluster);
            startAdminSocket(); // bladectl status works while the rest starts (this node UNHEALTHY)
            startSmbAndConsole();
            cluster.reportHealth(true);
            if (settings.smbWarmUp()) {
                smb.warmUpInBackground(DataPathWarmUp.Plan.DEFAULT); // after OK: it does not delay the boot
            }
            return this;
        } catch (BootException e) {
            close();
            throw e;
        } catch (RuntimeException e) {
            close();
            throw new BootException("the node failed to start: " + e.getMessage(), e);
        }
    }

    private void prepareDataDir() throws BootException {
        Path dir = settings.dataDir();
        try {
            Files.createDirectories(dir.resolve("tmp"));
            // MapDB's lz4 extracts a native library into java.io.tmpdir; a kill -9 leaves it behind,
            // so keep it inside the data dir rather than littering /tmp.
            System.setProperty("java.io.tmpdir", dir.resolve("tmp").toString());
            Path probe = dir.resolve(".write-probe");
            Files.writeString(probe, "ok");
            Files.delete(probe);
        } catch (IOException e) {
            throw new BootException("the data directory " + dir + " is not writable (" + reason(e) + ")");
        }
        try {
            FileChannel ch = FileChannel.open(dir.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new BootException("another node is already running with the data directory " + dir);
            }
            started.push(ch); // closing the channel releases the lock
        } catch (IOException e) {
            throw new BootException("cannot lock the data directory " + dir + ": " + reason(e));
        }
        try {
            Files.createDirectories(settings.sharedDir());
        } catch (IOException e) {
            throw new BootException("the shared directory " + settings.sharedDir() + " cannot be created: " + reason(e));
        }
    }

    private void startCluster() throws BootException {
        var config = new ClusterConfig(settings.nodeName(), settings.clusterBind(), settings.peers(),
                settings.dataDir(), settings.sharedDir());
        try {
            // UNHEALTHY until every service below has started: peers see this node OK only then.
            cluster = ClusterNode.start(config, ClusterTunables.DEFAULTS, false);
        } catch (BindException e) {
            throw new BootException(e.getMessage());
        } catch (IOException e) {
            throw new BootException("the cluster transport on " + hostPort(settings.clusterBind().getHostString(),
                    settings.clusterBind().getPort()) + " did not start: " + e.getMessage(), e);
        }
        started.push(cluster);
    }

    private void startSmb() throws BootException {
        var config = new SmbServerConfig(settings.bind(), settings.smbPort(), "BLADESHARE", SERVER_GUID, true);
        smb = new SmbServer(config, new ClusterUserDirectory(users), new ClusterShareRegistry(shares), clusteredState());
        try {
            smb.start();
        } catch (IOException e) {
            smb.close(); // its oplock timer and workers run from construction on: stop them with it
            if (e instanceof BindException) {
                throw new BootException("the SMB port " + hostPort(settings.bindHost(), settings.smbPort()) + " is in use");
            }
            throw new BootException("the SMB server on " + hostPort(settings.bindHost(), settings.smbPort())
                    + " did not start: " + e.getMessage(), e);
        }
        started.push(smb::close);
    }

    /** The console's Vaadin start-up takes a second or more: it runs beside the SMB server's. */
    private void startSmbAndConsole() throws BootException {
        var console = new java.util.concurrent.FutureTask<Void>(() -> {
            startConsole();
            return null;
        });
        Thread.ofVirtual().name("console-start").start(console);
        BootException failure = null;
        try {
            startSmb();
        } catch (BootException e) {
            failure = e;
        }
        try {
            console.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (failure == null) {
                failure = e.getCause() instanceof BootException b ? b
                        : new BootException("the console did not start: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new BootException("start-up was interrupted");
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The SMB engine's shared state on the cluster's volatile databases: an open or a lock taken
     * through one blade is seen by every blade, and a record stays on the blade that uses it.
     */
    private StatePorts clusteredState() {
        int node = cluster.pnn() + 1; // the engine's node ids start at 1 (see ClusterMessageBus)
        // Durable handles are volatile for now: a kept open can only be reconnected on the blade
        // that holds its file handle, so they need not outlive that blade.
        return new StatePorts(node,
                new RecordShareModeTable(volatileStore(DatabaseMap.SMB_SHARE_MODES)),
                new RecordByteRangeLockTable(volatileStore(DatabaseMap.SMB_BYTE_RANGE_LOCKS)),
                new RecordLeaseTable(volatileStore(DatabaseMap.SMB_LEASES)),
                new RecordDurableHandleTable(volatileStore(DatabaseMap.SMB_DURABLE_HANDLES)),
                new ClusterMessageBus(cluster), SessionLimits.DEFAULT);
    }

    private VolatileRecordStore volatileStore(String db) {
        return new VolatileRecordStore(cluster.volatileDb(db));
    }

    private void startConsole() throws BootException {
        console = new ConsoleServer(new ConsoleConfig(settings.bindHost(), settings.consolePort(), settings.dataDir()),
                new ApplianceConsoleBackend(cluster, admin, users, shares));
        try {
            console.start();
        } catch (BindException e) {
            throw new BootException("the console port " + hostPort(settings.bindHost(), settings.consolePort()) + " is in use");
        } catch (IOException e) {
            throw new BootException("the console on " + hostPort(settings.bindHost(), settings.consolePort())
                    + " did not start: " + e.getMessage(), e);
        }
        started.push(console::close);
    }

    private void startAdminSocket() throws BootException {
        AdminServer server = new AdminServer(AdminProtocol.socketIn(settings.dataDir()));
        NodeControls.registerAll(server, this);
        DatabaseControls.registerAll(server, cluster, databases);
        try {
            server.start();
        } catch (IOException e) {
            throw new BootException("the admin socket in " + settings.dataDir() + " did not start: " + e.getMessage(), e);
        }
        started.push(server);
    }

    /** The operating system's reason for an I/O failure, without the exception's class name. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public NodeSettings settings() {
        return settings;
    }

    public Platform platform() {
        return platform;
    }

    public Cluster cluster() {
        return cluster;
    }

    public UserStore users() {
        return users;
    }

    public ShareStore shares() {
        return shares;
    }

    public AdminCredentials admin() {
        return admin;
    }

    public int smbPort() {
        return smb.port();
    }

    public int consolePort() {
        return console.port();
    }

    /** Stops the blade: admin socket, console, SMB, cluster, data-dir lock, in that order. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("while stopping {}: {}", c, e.toString());
            }
        }
    }
}
