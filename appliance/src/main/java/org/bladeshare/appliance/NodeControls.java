package org.bladeshare.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import org.bladeshare.appliance.admin.AdminServer;
import org.bladeshare.cluster.membership.NodeStatus;

import java.util.List;
import java.util.Map;

/**
 * The node's controls on the admin socket, one per bladectl command, as ctdb's controls
 * mirror its CLI one to one.
 */
final class NodeControls {
    private NodeControls() {
    }

    /** What {@code bladectl status} shows. */
    record Status(int thisNode, String nodeName, Integer coordinator, List<NodeStatus> nodes) {
    }

    static void registerAll(AdminServer server, Blade blade) {
        server.register("status", args -> status(blade))
              .register("user.add", args -> blade.users().add(text(args, "name"), text(args, "password")))
              .register("user.passwd", args -> blade.users().setPassword(text(args, "name"), text(args, "password")))
              .register("user.list", args -> blade.users().list())
              .register("user.remove", args -> {
                  blade.users().remove(text(args, "name"));
                  return Map.of("removed", text(args, "name"));
              })
              .register("share.add", args -> blade.shares().add(text(args, "name"), text(args, "path"),
                      args.path("comment").asText(""), args.path("encrypt").asBoolean(false),
                      args.path("readOnly").asBoolean(false)))
              .register("share.list", args -> blade.shares().list())
              .register("share.remove", args -> {
                  blade.shares().remove(text(args, "name"));
                  return Map.of("removed", text(args, "name"));
              })
              .register("admin.password", args -> {
                  blade.admin().setPassword(text(args, "password"));
                  return Map.of("user", "admin", "set", true);
              });
    }

    static Status status(Blade blade) {
        List<NodeStatus> nodes = blade.cluster().nodes();
        Integer coordinator = nodes.stream().filter(NodeStatus::coordinator).map(NodeStatus::pnn).findFirst().orElse(null);
        return new Status(blade.cluster().pnn(), blade.settings().nodeName(), coordinator, nodes);
    }

    private static String text(JsonNode args, String field) {
        JsonNode v = args.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing argument '" + field + "'");
        }
        return v.asText();
    }
}
