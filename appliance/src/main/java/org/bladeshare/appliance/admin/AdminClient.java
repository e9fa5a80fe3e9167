package org.bladeshare.appliance.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Talks to a node's admin socket: what bladectl and the demo use. */
public final class AdminClient implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private AdminClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /** Connects to the node whose data directory is given; {@link NodeUnreachableException} says why not. */
    public static AdminClient connect(Path dataDir) throws NodeUnreachableException {
        Path socket = AdminProtocol.socketIn(dataDir);
        if (!Files.exists(socket)) {
            throw new NodeUnreachableException("no node is running with data directory " + dataDir
                    + " (no " + AdminProtocol.SOCKET_NAME + " there)");
        }
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new AdminClient(ch);
        } catch (IOException e) {
            throw new NodeUnreachableException("no node answers on " + socket + " (it is stopped, or still starting)");
        }
    }

    /** Sends one command; returns the result, or throws {@link AdminException} with the node's sentence. */
    public JsonNode call(String command, Map<String, ?> args) throws AdminException, NodeUnreachableException {
        ObjectNode req = AdminProtocol.JSON.createObjectNode().put("v", AdminProtocol.VERSION).put("command", command);
        req.set("args", AdminProtocol.JSON.valueToTree(args));
        try {
            out.write(AdminProtocol.JSON.writeValueAsBytes(req));
            out.write('\n');
            out.flush();
            String line = in.readLine();
            if (line == null) {
                throw new NodeUnreachableException("the node closed the admin connection without answering");
            }
            JsonNode answer = AdminProtocol.JSON.readTree(line);
            if (!answer.path("ok").asBoolean()) {
                throw new AdminException(answer.path("error").asText("the node refused"), answer.path("badInput").asBoolean());
            }
            return answer.path("result");
        } catch (IOException e) {
            throw new NodeUnreachableException("lost the admin connection: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** The node answered with an error. */
    public static final class AdminException extends Exception {
        private final boolean badInput;

        public AdminException(String sentence, boolean badInput) {
            super(sentence);
            this.badInput = badInput;
        }

        public boolean badInput() {
            return badInput;
        }
    }

    /** No node answers on that data directory. */
    public static final class NodeUnreachableException extends Exception {
        public NodeUnreachableException(String sentence) {
            super(sentence);
        }
    }
}
