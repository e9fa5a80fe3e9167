package org.bladeshare.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;

/** {@code bladectl share ...}: disk shares on the cluster filesystem. */
@Command(name = "share", mixinStandardHelpOptions = true, description = "Adds, lists and removes shares.")
final class ShareCommand {
    /** bladectl itself, which holds the inherited --data-dir and --json. */
    @ParentCommand
    BladeCtl root;

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Shares a directory of the cluster filesystem.")
    void add(@Parameters(paramLabel = "NAME") String name,
             @Parameters(paramLabel = "PATH") Path path,
             @Option(names = "--comment", paramLabel = "TEXT", defaultValue = "") String comment,
             @Option(names = "--encrypt", description = "refuse unencrypted access") boolean encrypt,
             @Option(names = "--read-only", description = "refuse writes") boolean readOnly) {
        JsonNode share = root.ctx.call("share.add", Map.of("name", name, "path", path.toAbsolutePath().normalize().toString(),
                "comment", comment, "encrypt", encrypt, "readOnly", readOnly));
        root.ctx.print(share, "added share " + share.path("name").asText() + " -> " + share.path("path").asText());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the shares.")
    void list() {
        JsonNode shares = root.ctx.call("share.list", Map.of());
        StringBuilder out = new StringBuilder(String.format("%-20s %-8s %s", "NAME", "FLAGS", "PATH"));
        for (JsonNode s : shares) {
            String flags = (s.path("encrypt").asBoolean() ? "E" : "-") + (s.path("readOnly").asBoolean() ? "R" : "-");
            out.append(String.format("%n%-20s %-8s %s", s.path("name").asText(), flags, s.path("path").asText()));
        }
        root.ctx.print(shares, out.toString());
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Stops sharing (the files stay).")
    void remove(@Parameters(paramLabel = "NAME") String name) {
        root.ctx.print(root.ctx.call("share.remove", Map.of("name", name)), "removed share " + name);
    }
}
