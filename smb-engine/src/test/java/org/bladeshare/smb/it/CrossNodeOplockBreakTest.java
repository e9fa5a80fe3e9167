package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.SmbServerConfig;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.server.ShareConfig;
import org.bladeshare.smb.server.StatePorts;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.OplockBreakMessage;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.InMemoryByteRangeLockTable;
import org.bladeshare.smb.state.InMemoryDurableHandleTable;
import org.bladeshare.smb.state.InMemoryLeaseTable;
import org.bladeshare.smb.state.InMemoryMessageBus;
import org.bladeshare.smb.state.InMemoryShareModeTable;
import org.bladeshare.smb.state.OplockLevel;
import org.bladeshare.smb.state.SessionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two nodes sharing one set of tables and a bus (the shape of a cluster): a CREATE on node 2 breaks
 * a batch oplock held through node 1; the break travels over the bus and the acknowledgement on
 * node 1 lets node 2's waiting CREATE finish.
 */
class CrossNodeOplockBreakTest {
    @TempDir
    Path share;
    SmbServer node1;
    SmbServer node2;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(share.resolve("x.txt"), "shared");
        var shareModes = new InMemoryShareModeTable();
        var locks = new InMemoryByteRangeLockTable();
        var leases = new InMemoryLeaseTable();
        var durables = new InMemoryDurableHandleTable();
        var hub = new InMemoryMessageBus.Hub();
        node1 = start(new StatePorts(1, shareModes, locks, leases, durables, hub.join(1), SessionLimits.DEFAULT));
        node2 = start(new StatePorts(2, shareModes, locks, leases, durables, hub.join(2), SessionLimits.DEFAULT));
    }

    private SmbServer start(StatePorts state) throws Exception {
        var config = new SmbServerConfig(InetAddress.getLoopbackAddress(), 0, "BLADE" + state.node(), UUID.randomUUID(),
            true);
        SmbServer s = new SmbServer(config, TestServers.users(Map.of(TestServers.USER, TestServers.PASSWORD)),
            TestServers.shares(List.of(new ShareConfig("public", share, "Public files", false, false))), state);
        s.start();
        return s;
    }

    @AfterEach
    void stop() {
        node2.close();
        node1.close();
    }

    private static RawClient logOn(SmbServer node) throws Exception {
        RawClient c = new RawClient(node.port());
        c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
        return c;
    }

    private static Consumer<ByteBuf> open(int oplock) {
        return b -> new Create.Request(0, oplock, 2, 0x12019F, 0, 7, Create.OPEN, 0, "x.txt", List.of()).encode(b);
    }

    @Test
    void aBreakReachesTheHolderOnTheOtherNode() throws Exception {
        try (RawClient holder = logOn(node1); RawClient opener = logOn(node2)) {
            RawClient.Reply first = holder.call(Smb2Command.CREATE, open(OplockLevel.BATCH));
            var created = Create.Response.decode(first.message().duplicate().readerIndex(Smb2Header.SIZE));
            assertEquals(OplockLevel.BATCH, created.oplockLevel());
            FileId held = created.fileId();

            assertEquals(NtStatus.PENDING, opener.call(Smb2Command.CREATE, open(OplockLevel.NONE)).status());

            RawClient.Reply notice = holder.receive().getFirst();
            assertEquals(Smb2Command.OPLOCK_BREAK, notice.header().command());
            var brk = OplockBreakMessage.Oplock.decode(notice.message().duplicate().readerIndex(Smb2Header.SIZE));
            assertEquals(held, brk.fileId());
            assertEquals(OplockLevel.LEVEL_II, brk.level());

            assertEquals(NtStatus.SUCCESS, holder.call(Smb2Command.OPLOCK_BREAK,
                b -> new OplockBreakMessage.Oplock(OplockLevel.LEVEL_II, held).encode(b)).status());
            assertEquals(NtStatus.SUCCESS, opener.receive().getFirst().status(),
                "node 2's CREATE completes once node 1's client acknowledged");
        }
    }
}
