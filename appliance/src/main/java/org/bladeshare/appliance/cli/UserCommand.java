package org.bladeshare.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code bladectl user ...}: SMB users. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Adds, lists and removes SMB users.")
final class UserCommand {
    /** bladectl itself, which holds the inherited --data-dir and --json. */
    @ParentCommand
    BladeCtl root;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a user; the password comes from standard input when it is not a terminal.")
    void add(@Parameters(paramLabel = "NAME") String name) {
        String password = CtlContext.readPassword("Password for " + name);
        JsonNode user = root.ctx.call("user.add", Map.of("name", name, "password", password));
        root.ctx.print(user, "added user " + user.path("name").asText());
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Sets a user's password (creating the user when missing).")
    void passwd(@Parameters(paramLabel = "NAME") String name) {
        String password = CtlContext.readPassword("New password for " + name);
        JsonNode user = root.ctx.call("user.passwd", Map.of("name", name, "password", password));
        root.ctx.print(user, "password set for " + user.path("name").asText());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users.")
    void list() {
        JsonNode users = root.ctx.call("user.list", Map.of());
        StringBuilder out = new StringBuilder(String.format("%-24s %s", "NAME", "CREATED"));
        for (JsonNode u : users) {
            out.append(String.format("%n%-24s %s", u.path("name").asText(), u.path("createdAt").asText()));
        }
        root.ctx.print(users, out.toString());
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a user.")
    void remove(@Parameters(paramLabel = "NAME") String name) {
        root.ctx.print(root.ctx.call("user.remove", Map.of("name", name)), "removed user " + name);
    }
}
