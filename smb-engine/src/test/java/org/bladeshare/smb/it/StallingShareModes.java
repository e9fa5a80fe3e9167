package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.SmbServerConfig;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.server.ShareConfig;
import org.bladeshare.smb.server.StatePorts;
import org.bladeshare.smb.state.InMemoryByteRangeLockTable;
import org.bladeshare.smb.state.InMemoryDurableHandleTable;
import org.bladeshare.smb.state.InMemoryLeaseTable;
import org.bladeshare.smb.state.InMemoryMessageBus;
import org.bladeshare.smb.state.InMemoryShareModeTable;
import org.bladeshare.smb.state.SessionLimits;
import org.bladeshare.smb.state.ShareModeTable;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A share-mode table whose next {@code tryAddOpen}, once {@link #armed}, waits until
 * {@link #release}: a stand-in for a clustered record while the cluster recovers, which cannot be
 * held still in a unit test. Holds up the request that opens, and with it the thread it runs on.
 */
final class StallingShareModes implements AutoCloseable {
    /** Counted down when an armed {@code tryAddOpen} begins to wait. */
    final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean armed;
    final ShareModeTable table;
    private SmbServer server;

    StallingShareModes() {
        ShareModeTable real = new InMemoryShareModeTable();
        table = (ShareModeTable) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{ShareModeTable.class}, (proxy, method, args) -> {
                if (method.getName().equals("tryAddOpen") && armed) {
                    armed = false;
                    stalled.countDown();
                    released.await(60, TimeUnit.SECONDS);
                }
                try {
                    return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    /** The next {@code tryAddOpen} stalls. */
    void arm() {
        armed = true;
    }

    /** The stalled call, and any later one, goes on. */
    void release() {
        released.countDown();
    }

    /** Starts a server whose share {@code public} is {@code share}, with this table and the others in memory. */
    SmbServer startServer(Path share) throws IOException {
        var ports = new StatePorts(0, table, new InMemoryByteRangeLockTable(), new InMemoryLeaseTable(),
            new InMemoryDurableHandleTable(), new InMemoryMessageBus(0), SessionLimits.DEFAULT);
        var config = new SmbServerConfig(InetAddress.getLoopbackAddress(), 0, "BLADE1", UUID.randomUUID(), true);
        server = new SmbServer(config, TestServers.users(Map.of(TestServers.USER, TestServers.PASSWORD)),
            TestServers.shares(List.of(new ShareConfig("public", share, "Public files", false, false))), ports);
        server.start();
        return server;
    }

    /** Lets a stalled call go on and stops the server. */
    @Override
    public void close() {
        release();
        if (server != null) {
            server.close();
        }
    }
}
