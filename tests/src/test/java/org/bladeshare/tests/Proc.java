package org.bladeshare.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a bounded wait, capturing what it printed. */
public record Proc(int exit, String out, String err) {

    public static Proc run(List<String> cmd, String stdin, Duration timeout) {
        return run(cmd, stdin, timeout, Map.of());
    }

    public static Proc run(List<String> cmd, String stdin, Duration timeout, Map<String, String> env) {
        try {
            Path out = Files.createTempFile("proc", ".out");
            Path err = Files.createTempFile("proc", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(Env.HOME.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                try (var in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", cmd));
                }
                return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
