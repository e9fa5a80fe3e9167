package org.bladeshare.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The README's first command: {@code bin/bladeshare demo} boots three nodes, prints a working
 * smbclient line, and Ctrl-C (SIGINT) stops every node it started.
 */
class DemoTest {

    @Test
    void demoPrintsAWorkingSmbclientLineAndCtrlCStopsEveryNode(@TempDir Path dir) throws Exception {
        int smb = Env.freePort();
        int console = Env.freePort();
        int cluster = Env.freeClusterPort();
        Process demo = new ProcessBuilder(Env.BLADESHARE.toString(), "demo", "--dir", dir.toString(),
                "--smb-port", Integer.toString(smb), "--console-port", Integer.toString(console),
                "--cluster-port", Integer.toString(cluster))
                .directory(Env.HOME.toFile()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        String smbclientLine = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            String line;
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                output.add(line);
                if (line.contains("Press Ctrl-C")) {
                    break;
                }
                if (line.strip().startsWith("Try:")) {
                    smbclientLine = line.strip().substring("Try:".length()).strip();
                }
            }
            assertNotNull(smbclientLine, () -> "the demo printed an smbclient line: " + output);
            assertTrue(String.join("\n", output).contains("3 nodes OK"), output::toString);
            assertTrue(String.join("\n", output).matches("(?s).*Console: +https://127\\.0\\.0\\.1:" + console + "/ +user admin, password \\S+.*"),
                    output::toString);

            Matcher m = Pattern.compile("smbclient //127\\.0\\.0\\.1/public -p (\\d+) -U demo%(\\S+) -c 'ls'").matcher(smbclientLine);
            assertTrue(m.matches(), smbclientLine);
            Proc ls = Proc.run(List.of("smbclient", "//127.0.0.1/public", "-p", m.group(1), "-U", "demo%" + m.group(2), "-c", "ls"),
                    null, Duration.ofSeconds(60));
            assertEquals(0, ls.exit(), ls::toString);
            assertTrue(ls.out().contains("blocks available"), ls::toString);
        } finally {
            List<ProcessHandle> nodes = demo.descendants().toList();
            Proc.run(List.of("kill", "-INT", Long.toString(demo.pid())), null, Duration.ofSeconds(10));
            boolean stopped = demo.waitFor(60, TimeUnit.SECONDS);
            long alive = nodes.stream().filter(ProcessHandle::isAlive).count();
            if (!stopped) {
                demo.descendants().forEach(ProcessHandle::destroyForcibly);
                demo.destroyForcibly();
            }
            assertTrue(stopped, "Ctrl-C ends the demo");
            assertEquals(0, alive, "Ctrl-C stops every node the demo started");
            assertTrue(nodes.size() >= 3, "the demo ran three node processes: " + nodes);
        }
    }
}
