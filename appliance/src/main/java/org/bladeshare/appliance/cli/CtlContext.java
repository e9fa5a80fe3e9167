package org.bladeshare.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.bladeshare.appliance.admin.AdminClient;
import org.bladeshare.appliance.admin.AdminProtocol;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** The options every bladectl command takes, and what they share: the call to the node and output. */
public final class CtlContext {
    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "data directory of the node to talk to (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("/var/lib/bladeshare");

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the node's answer as JSON")
    boolean json;

    /** Calls the node; errors become {@link CtlFailure} with the exit code they deserve. */
    JsonNode call(String command, Map<String, ?> args) {
        try (AdminClient client = AdminClient.connect(dataDir)) {
            return client.call(command, args);
        } catch (AdminClient.NodeUnreachableException e) {
            throw new CtlFailure(e.getMessage(), BladeCtl.EXIT_UNREACHABLE);
        } catch (AdminClient.AdminException e) {
            throw new CtlFailure(e.getMessage(), e.badInput() ? BladeCtl.EXIT_BAD_INPUT : BladeCtl.EXIT_FAILED);
        }
    }

    /** Prints the result as JSON with --json, otherwise the given human text. */
    void print(JsonNode result, String text) {
        if (json) {
            try {
                System.out.println(AdminProtocol.json().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
            } catch (IOException e) {
                throw new CtlFailure("cannot print JSON: " + e.getMessage(), BladeCtl.EXIT_FAILED);
            }
        } else if (!text.isEmpty()) {
            System.out.println(text);
        }
    }

    /**
     * A password: from standard input when it is not a terminal (one line), otherwise asked
     * for twice at the terminal without echo.
     */
    static String readPassword(String prompt) {
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new CtlFailure("no password on standard input", BladeCtl.EXIT_BAD_INPUT);
                }
                return line;
            } catch (IOException e) {
                throw new CtlFailure("cannot read the password: " + e.getMessage(), BladeCtl.EXIT_BAD_INPUT);
            }
        }
        char[] first = console.readPassword("%s: ", prompt);
        char[] again = console.readPassword("%s (again): ", prompt);
        if (first == null || again == null || !Arrays.equals(first, again)) {
            throw new CtlFailure("the two passwords differ", BladeCtl.EXIT_BAD_INPUT);
        }
        return new String(first);
    }

    /** A failure bladectl reports in one sentence with an exit code. */
    static final class CtlFailure extends RuntimeException {
        final int exitCode;

        CtlFailure(String sentence, int exitCode) {
            super(sentence);
            this.exitCode = exitCode;
        }
    }
}
