package org.bladeshare.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.Map;

/** {@code bladectl status}: the cluster's nodes, like {@code ctdb status}. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows every node: number, name, address, state, and who coordinates.")
final class StatusCommand implements Runnable {
    /** bladectl itself, which holds the inherited --data-dir and --json. */
    @ParentCommand
    BladeCtl root;

    @Override
    public void run() {
        JsonNode status = root.ctx.call("status", Map.of());
        root.ctx.print(status, format(status));
    }

    /** The status as a table, like {@code ctdb status}. */
    static String format(JsonNode status) {
        StringBuilder out = new StringBuilder();
        JsonNode nodes = status.path("nodes");
        out.append("Number of nodes: ").append(nodes.size()).append('\n');
        out.append(String.format("%-4s %-16s %-22s %s%n", "PNN", "NAME", "ADDRESS", "STATE"));
        for (JsonNode n : nodes) {
            out.append(String.format("%-4d %-16s %-22s %s%s%n", n.path("pnn").asInt(), n.path("name").asText(),
                    n.path("address").asText(), n.path("state").asText(), n.path("self").asBoolean() ? " (THIS NODE)" : ""));
        }
        JsonNode coord = status.path("coordinator");
        out.append("Coordinator: ").append(coord.isNull() || coord.isMissingNode() ? "none" : "pnn " + coord.asInt());
        if (status.path("recoveryLock").asBoolean()) {
            out.append(" (holds the recovery lock)");
        }
        if (!status.path("serving").asBoolean(true)) {
            out.append("\nThis node is NOT serving: its side of the cluster has no recovery lock, or recovery is running.");
        }
        return out.toString();
    }
}
