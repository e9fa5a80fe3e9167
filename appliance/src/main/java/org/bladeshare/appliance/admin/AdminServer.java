package org.bladeshare.appliance.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Serves {@link AdminCommand}s on the node's admin socket, one virtual thread per connection. */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_LINE = 1 << 20;
    private final Path socket;
    private final Map<String, AdminCommand> commands = new ConcurrentHashMap<>();
    private ServerSocketChannel server;
    private Thread acceptor;

    public AdminServer(Path socket) {
        this.socket = socket;
    }

    public AdminServer register(String name, AdminCommand command) {
        commands.put(name, command);
        return this;
    }

    public void start() throws IOException {
        Files.deleteIfExists(socket); // a stale socket from a killed node; the data-dir lock guards a live one
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        acceptor = Thread.ofVirtual().name("admin-accept").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Thread.ofVirtual().name("admin-conn").start(() -> serve(ch));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("admin socket accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch; var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
             OutputStream out = Channels.newOutputStream(ch)) {
            String line;
            while ((line = in.readLine()) != null) {
                ObjectNode answer = line.length() > MAX_LINE ? error("request too large", true) : answer(line);
                out.write(AdminProtocol.JSON.writeValueAsBytes(answer));
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("admin connection ended: {}", e.getMessage());
        }
    }

    ObjectNode answer(String line) {
        JsonNode req;
        try {
            req = AdminProtocol.JSON.readTree(line);
        } catch (IOException e) {
            return error("request is not JSON", true);
        }
        if (req == null || !req.isObject()) {
            return error("request is not a JSON object", true);
        }
        int v = req.path("v").asInt(-1);
        if (v != AdminProtocol.VERSION) {
            return error("admin protocol version " + v + " is not spoken by this node (it speaks " + AdminProtocol.VERSION + ")", true);
        }
        String name = req.path("command").asText("");
        AdminCommand cmd = commands.get(name);
        if (cmd == null) {
            return error("unknown command '" + name + "'; this node knows " + new TreeMap<>(commands).keySet(), true);
        }
        try {
            Object result = cmd.run(req.path("args"));
            ObjectNode ok = AdminProtocol.JSON.createObjectNode().put("ok", true);
            ok.set("result", AdminProtocol.JSON.valueToTree(result));
            return ok;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return error(e.getMessage(), e instanceof IllegalArgumentException);
        } catch (Exception e) {
            LOG.error("admin command {} failed", name, e);
            return error(name + " failed: " + e, false);
        }
    }

    private static ObjectNode error(String sentence, boolean badInput) {
        return AdminProtocol.JSON.createObjectNode().put("ok", false).put("error", sentence).put("badInput", badInput);
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debug("closing admin socket: {}", e.getMessage());
        }
        if (acceptor != null) {
            acceptor.interrupt();
        }
    }
}
