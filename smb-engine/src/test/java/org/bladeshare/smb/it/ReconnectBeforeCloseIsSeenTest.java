package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.DurableContext;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.OplockLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client whose connection drops while the server is busy inside one of that connection's
 * requests (its event loop has not yet seen the close) and which reconnects its durable handle at
 * once on a new connection gets the handle back: the server sees from the kernel's TCP state that
 * the old client has gone, closes that connection and waits for its cleanup, instead of refusing
 * the handle as still in use (seen as smbtorture's smb2.durable-v2-open.reopen2-lease-v2 failing
 * now and then with OBJECT_NAME_NOT_FOUND). The busy request is a CREATE held on a share-mode
 * table that stalls on purpose (a stand-in for a clustered record during recovery).
 */
class ReconnectBeforeCloseIsSeenTest {
    @TempDir
    Path share;
    private final StallingShareModes shareModes = new StallingShareModes();

    @AfterEach
    void stop() {
        shareModes.close();
    }

    @Test
    void aDurableReconnectSentBeforeTheServerSawTheOldConnectionCloseSucceeds() throws Exception {
        Files.writeString(share.resolve("d.txt"), "durable data");
        Files.writeString(share.resolve("other.txt"), "x");
        SmbServer server = shareModes.startServer(share);

        try (RawClient again = new RawClient(server.port())) { // first, so the two clients get a loop each
            again.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            RawClient first = new RawClient(server.port());
            first.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            var dhnq = new Create.Context(DurableContext.REQUEST_V1, new byte[16]);
            var opened = first.call(Smb2Command.CREATE, b -> new Create.Request(0, OplockLevel.BATCH, 2, 0x12019F, 0,
                7, Create.OPEN, 0, "d.txt", List.of(dhnq)).encode(b));
            assertEquals(NtStatus.SUCCESS, opened.status());
            FileId id = Create.Response.decode(opened.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();

            shareModes.arm(); // the first client's next open waits in the table, on that client's event loop
            first.sendChain(List.of(first.message(Smb2Command.CREATE, 0, b -> new Create.Request(0, 0, 2, 0x120089, 0,
                7, Create.OPEN, 0, "other.txt", List.of()).encode(b))), true);
            assertTrue(shareModes.stalled.await(10, TimeUnit.SECONDS), "the first client's second open reached the table");
            first.close(); // the connection drops while the server is inside its request
            Thread.ofPlatform().daemon().start(() -> { // the table answers again a little later
                try {
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    return;
                }
                shareModes.release();
            });

            var dhnc = new Create.Context(DurableContext.RECONNECT_V1, new DurableContext.Reconnect(1, id, null, 0).encode());
            var back = again.call(Smb2Command.CREATE, b -> new Create.Request(0, OplockLevel.BATCH, 2, 0x12019F, 0, 7,
                Create.OPEN, 0, "d.txt", List.of(dhnc)).encode(b));
            assertEquals(NtStatus.SUCCESS, back.status(), NtStatus.name(back.status()));
            assertEquals(id.persistent(),
                Create.Response.decode(back.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId().persistent());
        }
    }
}
