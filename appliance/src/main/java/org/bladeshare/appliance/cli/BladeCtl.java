package org.bladeshare.appliance.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * {@code bladectl}: the admin CLI, modelled on {@code ctdb}: terse, scriptable, {@code --json}
 * everywhere. Every command is one control on the node's admin socket.
 * Exit codes: 0 done, 1 the node failed, 2 bad input or usage, 3 no node answers.
 */
@Command(name = "bladectl", mixinStandardHelpOptions = true,
        description = "Administers a Bladeshare node through its admin socket.",
        subcommands = {StatusCommand.class, UserCommand.class, ShareCommand.class, ConsoleAdminCommand.class, DbCommand.class})
public final class BladeCtl implements Runnable {
    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_UNREACHABLE = 3;

    @Mixin
    CtlContext ctx;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new BladeCtl());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("bladectl: " + ex.getMessage() + " (see bladectl --help)");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CtlContext.CtlFailure f) {
                cmd.getErr().println("bladectl: " + f.getMessage());
                return f.exitCode;
            }
            cmd.getErr().println("bladectl: internal error: " + ex);
            return EXIT_FAILED;
        });
        return cl.execute(args);
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "This node stays a member but serves no public IPs.")
    void disable() {
        changeState("node.disable", Map.of());
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Undoes disable.")
    void enable() {
        changeState("node.enable", Map.of());
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "This node takes part in nothing until continue.")
    void stop() {
        changeState("node.stop", Map.of());
    }

    @Command(name = "continue", mixinStandardHelpOptions = true, description = "Undoes stop.")
    void cont() {
        changeState("node.continue", Map.of());
    }

    @Command(name = "ban", mixinStandardHelpOptions = true, description = "This node is inactive for SECONDS (1 to 86400).")
    void ban(@Parameters(paramLabel = "SECONDS") long seconds) {
        changeState("node.ban", Map.of("seconds", seconds));
    }

    @Command(name = "unban", mixinStandardHelpOptions = true, description = "Ends a ban now.")
    void unban() {
        changeState("node.unban", Map.of());
    }

    private void changeState(String control, Map<String, ?> args) {
        JsonNode status = ctx.call(control, args);
        ctx.print(status, StatusCommand.format(status));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command: status, user, share, admin, db, disable, enable, stop, continue, ban or unban");
    }
}
