package org.bladeshare.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.bladeshare.appliance.admin.AdminClient;
import org.bladeshare.appliance.admin.AdminClient.AdminException;
import org.bladeshare.appliance.admin.AdminClient.NodeUnreachableException;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One long-lived connection to a node's admin socket, the socket {@code bladectl} talks to,
 * reconnecting after the node died. It carries exactly bladectl's requests ({@code db.put},
 * {@code db.ptrans}, {@code db.dump}, {@code status}) without a JVM start per call, so a test can commit
 * hundreds of transactions a second instead of two.
 */
final class AdminLink implements AutoCloseable {
    private final Path dataDir;
    private AdminClient client;

    AdminLink(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** One request; a lost connection is closed so the next call reconnects. */
    synchronized JsonNode call(String command, Map<String, ?> args) throws AdminException, NodeUnreachableException {
        if (client == null) {
            client = AdminClient.connect(dataDir);
        }
        try {
            return client.call(command, args);
        } catch (NodeUnreachableException e) {
            close();
            throw e;
        }
    }

    /** {@code bladectl db put NAME KEY VALUE}. */
    void put(String db, String key, String value) throws AdminException, NodeUnreachableException {
        call("db.put", Map.of("name", db, "key", key, "value", value));
    }

    /** {@code bladectl db ptrans NAME} with these records: all committed together or none. */
    void ptrans(String db, Map<String, String> records) throws AdminException, NodeUnreachableException {
        call("db.ptrans", Map.of("name", db, "records", records));
    }

    /** {@code bladectl db dump NAME --json}, as a sorted map. */
    TreeMap<String, String> dump(String db) throws AdminException, NodeUnreachableException {
        TreeMap<String, String> out = new TreeMap<>();
        call("db.dump", Map.of("name", db)).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** How many nodes this node's {@code status} shows in state OK, or -1 while it does not answer. */
    int okCount() {
        try {
            int ok = 0;
            for (JsonNode n : call("status", Map.of()).path("nodes")) {
                ok += "OK".equals(n.path("state").asText()) ? 1 : 0;
            }
            return ok;
        } catch (AdminException | NodeUnreachableException e) {
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
