package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * One server over a fresh share directory for each test, and logged-on raw clients: the set-up
 * shared by the tests that drive oplocks, leases, durable handles and compounds byte by byte.
 * A subclass's own {@code @BeforeEach} runs after the server is up, to put files in the share.
 */
abstract class OneServerTest {
    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServers.start(share, List.of());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** A new connection, negotiated and logged on to the share {@code public}. */
    RawClient logOn() throws Exception {
        RawClient c = new RawClient(server.port());
        c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
        return c;
    }

    /** As {@link #logOn()}, on SMB 3.0. */
    RawClient logOnSmb30() throws Exception {
        RawClient c = new RawClient(server.port()).useSmb30();
        c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
        return c;
    }
}
