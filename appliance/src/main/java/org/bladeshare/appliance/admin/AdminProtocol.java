package org.bladeshare.appliance.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Path;

/**
 * The admin socket's protocol: one JSON object per line each way, over a Unix domain socket
 * in the node's data directory (so bladectl reaches its node from any network namespace).
 * Request {@code {"v":1,"command":"user.add","args":{...}}}; answer
 * {@code {"ok":true,"result":...}} or {@code {"ok":false,"error":"one sentence","badInput":true}}.
 */
public final class AdminProtocol {
    /** Protocol version; a node refuses requests of a version it does not know. */
    public static final int VERSION = 1;
    public static final String SOCKET_NAME = "admin.sock";
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private AdminProtocol() {
    }

    public static Path socketIn(Path dataDir) {
        return dataDir.resolve(SOCKET_NAME);
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
