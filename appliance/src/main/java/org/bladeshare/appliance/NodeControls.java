package org.bladeshare.appliance;

import org.bladeshare.appliance.admin.AdminServer;
import org.bladeshare.cluster.Cluster;
import org.bladeshare.cluster.membership.NodeStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.bladeshare.appliance.admin.AdminArgs.number;
import static org.bladeshare.appliance.admin.AdminArgs.text;

/**
 * The node's controls on the admin socket, one per bladectl command, as ctdb's controls
 * mirror its CLI one to one.
 */
final class NodeControls {
    private NodeControls() {
    }

    /** What {@code bladectl status} shows. */
    record Status(int thisNode, String nodeName, Integer coordinator, boolean serving, boolean recoveryLock,
                  List<NodeStatus> nodes) {
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
              })
              // CTDB's node controls: disable, enable, stop, continue, ban, unban.
              .register("node.disable", args -> stateChange(blade, c -> c.disable()))
              .register("node.enable", args -> stateChange(blade, c -> c.enable()))
              .register("node.stop", args -> stateChange(blade, c -> c.stop()))
              .register("node.continue", args -> stateChange(blade, c -> c.cont()))
              .register("node.ban", args -> {
                  long seconds = number(args, "seconds");
                  if (seconds < 1 || seconds > 86_400) {
                      throw new IllegalArgumentException("a ban lasts from 1 to 86400 seconds, not " + seconds);
                  }
                  return stateChange(blade, c -> c.ban(Duration.ofSeconds(seconds)));
              })
              .register("node.unban", args -> stateChange(blade, c -> c.unban()));
    }

    private static Status stateChange(Blade blade, Consumer<Cluster> change) {
        change.accept(blade.cluster());
        return status(blade);
    }

    static Status status(Blade blade) {
        List<NodeStatus> nodes = blade.cluster().nodes();
        Integer coordinator = nodes.stream().filter(NodeStatus::coordinator).map(NodeStatus::pnn).findFirst().orElse(null);
        Cluster c = blade.cluster();
        return new Status(c.pnn(), blade.settings().nodeName(), coordinator, c.serving(), c.holdsRecoveryLock(), nodes);
    }

}
