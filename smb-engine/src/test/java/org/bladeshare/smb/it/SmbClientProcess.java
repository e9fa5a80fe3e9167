package org.bladeshare.smb.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real /usr/bin/smbclient with a bounded timeout and captures its output. */
public final class SmbClientProcess {
    public static final Path SMBCLIENT = Path.of("/usr/bin/smbclient");

    public record Result(int exitCode, String output) {
    }

    private SmbClientProcess() {
    }

    public static boolean available() {
        return Files.isExecutable(SMBCLIENT);
    }

    public static Result run(Path workDir, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(SMBCLIENT.toString());
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("smbclient", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "TIMEOUT after " + timeoutSeconds + " s\n" + Files.readString(log,
                    StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
