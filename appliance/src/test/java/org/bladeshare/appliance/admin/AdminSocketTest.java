package org.bladeshare.appliance.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AdminSocketTest {

    @Test
    void commandsAnswerOverTheSocketAndErrorsComeBackAsSentences(@TempDir Path dir) throws Exception {
        try (AdminServer server = new AdminServer(AdminProtocol.socketIn(dir))) {
            server.register("echo", args -> Map.of("said", args.path("text").asText()))
                  .register("refuse", args -> {
                      throw new IllegalArgumentException("no such thing");
                  });
            server.start();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(AdminProtocol.socketIn(dir))));
            try (AdminClient client = AdminClient.connect(dir)) {
                assertEquals("hi", client.call("echo", Map.of("text", "hi")).path("said").asText());
                var refused = assertThrows(AdminClient.AdminException.class, () -> client.call("refuse", Map.of()));
                assertEquals("no such thing", refused.getMessage());
                assertTrue(refused.badInput());
                var unknown = assertThrows(AdminClient.AdminException.class, () -> client.call("nope", Map.of()));
                assertTrue(unknown.getMessage().contains("unknown command 'nope'"), unknown.getMessage());
            }
        }
        assertFalse(Files.exists(AdminProtocol.socketIn(dir)), "socket removed on close");
    }

    @Test
    void garbageAndForeignVersionsAreRefusedNotCrashed(@TempDir Path dir) {
        AdminServer server = new AdminServer(AdminProtocol.socketIn(dir));
        assertFalse(server.answer("not json").path("ok").asBoolean());
        assertFalse(server.answer("[1,2]").path("ok").asBoolean());
        assertTrue(server.answer("{\"v\":99,\"command\":\"x\"}").path("error").asText().contains("version 99"));
    }

    @Test
    void noNodeIsASentence(@TempDir Path dir) {
        var e = assertThrows(AdminClient.NodeUnreachableException.class, () -> AdminClient.connect(dir));
        assertTrue(e.getMessage().contains("no node is running with data directory"));
    }
}
