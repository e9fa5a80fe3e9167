package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.Smb2Command;
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
 * A request that waits inside the server (here on a share-mode table that stalls on purpose: a
 * stand-in for a clustered record while the cluster recovers, which cannot be held still in a unit
 * test) holds up only its own client: new clients still connect, log on and open files meanwhile.
 */
class StalledRequestLoopChoiceTest {
    @TempDir
    Path share;
    private final StallingShareModes shareModes = new StallingShareModes();
    private SmbServer server;

    @AfterEach
    void stop() {
        shareModes.close();
    }

    @Test
    void newClientsAreServedWhileAnotherClientsRequestStallsOnAStalledShareModeTable() throws Exception {
        Files.writeString(share.resolve("f.txt"), "x");
        server = shareModes.startServer(share);
        try (RawClient waiting = logOn()) {
            shareModes.arm();
            waiting.sendChain(List.of(waiting.message(Smb2Command.CREATE, 0, b -> openRequest().encode(b))), true);
            assertTrue(shareModes.stalled.await(10, TimeUnit.SECONDS), "the first client's CREATE reached the table");
            List<RawClient> others = new java.util.ArrayList<>();
            try {
                // round robin over the two loops would put the second of these behind the stall, and so
                // might a choice by connection count alone (both loops then have one connection)
                for (int i = 0; i < 3; i++) {
                    RawClient next = logOn();
                    others.add(next);
                    assertEquals(0, next.call(Smb2Command.CREATE, b -> openRequest().encode(b)).status(),
                        "client " + (i + 2) + " opens the file while the first client's open waits");
                }
            } finally {
                for (RawClient c : others) {
                    c.close();
                }
            }
            shareModes.release();
            assertEquals(0, waiting.receive().getFirst().status(), "the stalled open completes once the table answers");
        }
    }

    private static Create.Request openRequest() {
        return new Create.Request(0, 0, 2, 0x120089, 0, 7, Create.OPEN, 0, "f.txt", List.of());
    }

    private RawClient logOn() throws Exception {
        RawClient c = new RawClient(server.port()); // RawClient reads with a 10 s timeout
        c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
        return c;
    }
}
