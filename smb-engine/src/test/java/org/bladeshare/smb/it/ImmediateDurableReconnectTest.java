package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.SmbServerConfig;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.server.ShareConfig;
import org.bladeshare.smb.server.StatePorts;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.DurableContext;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.DurableHandleTable;
import org.bladeshare.smb.state.InMemoryByteRangeLockTable;
import org.bladeshare.smb.state.InMemoryDurableHandleTable;
import org.bladeshare.smb.state.InMemoryLeaseTable;
import org.bladeshare.smb.state.InMemoryMessageBus;
import org.bladeshare.smb.state.InMemoryShareModeTable;
import org.bladeshare.smb.state.OplockLevel;
import org.bladeshare.smb.state.SessionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that reconnects its durable handle the moment its connection drops (smbtorture's
 * smb2.durable-open.reopen2-lease-v2 does so within milliseconds) gets it back even though the
 * server has not finished cleaning up the lost connection: the reconnect waits for that cleanup.
 * The cleanup is held back here by a durable-handle table that stalls on purpose (a stand-in for
 * a clustered record during recovery, or a loaded machine).
 */
class ImmediateDurableReconnectTest {
    @TempDir
    Path share;
    private final CountDownLatch preserving = new CountDownLatch(1);
    private volatile boolean stallDisconnect;
    private SmbServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A durable-handle table whose next {@code disconnect}, once armed, takes 700 ms. */
    private DurableHandleTable slowToPreserve() {
        DurableHandleTable real = new InMemoryDurableHandleTable();
        return (DurableHandleTable) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{DurableHandleTable.class}, (proxy, method, args) -> {
                if (method.getName().equals("disconnect") && stallDisconnect) {
                    stallDisconnect = false;
                    preserving.countDown();
                    Thread.sleep(700);
                }
                try {
                    return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    @Test
    void aReconnectSentWhileTheLostConnectionIsStillBeingCleanedUpSucceeds() throws Exception {
        Files.writeString(share.resolve("d.txt"), "durable data");
        var ports = new StatePorts(0, new InMemoryShareModeTable(), new InMemoryByteRangeLockTable(),
            new InMemoryLeaseTable(), slowToPreserve(), new InMemoryMessageBus(0), SessionLimits.DEFAULT);
        var config = new SmbServerConfig(InetAddress.getLoopbackAddress(), 0, "BLADE1", UUID.randomUUID(), true);
        server = new SmbServer(config, TestServers.users(Map.of(TestServers.USER, TestServers.PASSWORD)),
            TestServers.shares(List.of(new ShareConfig("public", share, "Public files", false, false))), ports);
        server.start();

        RawClient first = new RawClient(server.port());
        first.logOn(TestServers.USER, TestServers.PASSWORD, "public");
        var dhnq = new Create.Context(DurableContext.REQUEST_V1, new byte[16]);
        var opened = first.call(Smb2Command.CREATE, b -> new Create.Request(0, OplockLevel.BATCH, 2, 0x12019F, 0, 7,
            Create.OPEN, 0, "d.txt", List.of(dhnq)).encode(b));
        assertEquals(NtStatus.SUCCESS, opened.status());
        FileId id = Create.Response.decode(opened.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();

        try (RawClient again = new RawClient(server.port())) {
            again.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            stallDisconnect = true;
            first.close(); // the connection drops; its cleanup now takes 700 ms to preserve the handle
            assertTrue(preserving.await(10, TimeUnit.SECONDS), "the server began preserving the handle");
            // one reconnect, sent while the handle is still attached to the lost connection
            var dhnc = new Create.Context(DurableContext.RECONNECT_V1,
                new DurableContext.Reconnect(1, id, null, 0).encode());
            var back = again.call(Smb2Command.CREATE, b -> new Create.Request(0, OplockLevel.BATCH, 2, 0x12019F, 0, 7,
                Create.OPEN, 0, "d.txt", List.of(dhnc)).encode(b));
            assertEquals(NtStatus.SUCCESS, back.status(), NtStatus.name(back.status()));
            assertEquals(id.persistent(),
                Create.Response.decode(back.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId().persistent());
        }
    }
}
