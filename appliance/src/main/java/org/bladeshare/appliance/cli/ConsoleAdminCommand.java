package org.bladeshare.appliance.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.Map;

/** {@code bladectl admin ...}: the console administrator. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Manages the console administrator.")
final class ConsoleAdminCommand {
    /** bladectl itself, which holds the inherited --data-dir and --json. */
    @ParentCommand
    BladeCtl root;

    @Command(name = "password", mixinStandardHelpOptions = true,
            description = "Sets the console's admin password (from standard input when it is not a terminal).")
    void password() {
        String password = CtlContext.readPassword("Console password for admin");
        root.ctx.print(root.ctx.call("admin.password", Map.of("password", password)), "console password set for admin");
    }
}
