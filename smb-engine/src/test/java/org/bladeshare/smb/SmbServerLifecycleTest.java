package org.bladeshare.smb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** start() binds (and says so when the port is taken), port() reports it, close() frees it. */
class SmbServerLifecycleTest {
    @TempDir
    Path dir;

    private SmbServer server(int port) {
        var config = new SmbServerConfig(InetAddress.getLoopbackAddress(), port, "BLADE2", UUID.randomUUID(), true);
        return new SmbServer(config, TestServers.users(Map.of()), TestServers.shares(List.of()));
    }

    @Test
    void portInUseIsABindExceptionAndCloseFreesThePort() throws Exception {
        SmbServer first = server(0);
        first.start();
        int port = first.port();
        assertTrue(port > 0);
        SmbServer second = server(port);
        assertThrows(BindException.class, second::start);
        first.close();
        SmbServer third = server(port);
        third.start();
        try {
            assertEquals(port, third.port());
        } finally {
            third.close();
        }
    }

    @Test
    void portBeforeStartIsAnError() {
        assertThrows(IllegalStateException.class, () -> server(0).port());
    }
}
