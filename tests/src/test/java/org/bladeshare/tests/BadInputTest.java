package org.bladeshare.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** What an operator sees when they get it wrong: one sentence on stderr and exit status 2, never a stack trace. */
class BadInputTest {

    private static Proc bladeshare(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Env.BLADESHARE.toString()));
        cmd.addAll(List.of(args));
        return Proc.run(cmd, null, Duration.ofSeconds(90), env);
    }

    private static void assertOneSentenceExit2(Proc p, String expectedFragment) {
        assertEquals(2, p.exit(), p::toString);
        String err = p.err().strip();
        assertTrue(err.contains(expectedFragment), () -> "stderr names the problem (" + expectedFragment + "): " + p);
        assertEquals(1, err.lines().count(), () -> "one line on stderr: " + p);
        assertFalse(err.contains("Exception") || err.contains("\tat "), () -> "no stack trace: " + p);
    }

    private static String[] nodeFlags(Path dir, int smb, int console, int cluster) {
        return new String[]{"--data-dir", dir.toString(), "--shared-dir", dir.resolve("shared").toString(),
                "--node-name", "bad1", "--bind", "127.0.0.1", "--smb-port", Integer.toString(smb),
                "--console-port", Integer.toString(console), "--cluster-bind", "127.0.0.1:" + cluster};
    }

    @Test
    void unknownFlag() {
        assertOneSentenceExit2(bladeshare(Map.of(), "--no-such-flag"), "--no-such-flag");
    }

    @Test
    void smbPortInUse(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Proc p = bladeshare(Map.of(), nodeFlags(dir.resolve("n"), taken.getLocalPort(), Env.freePort(), Env.freeClusterPort()));
            assertOneSentenceExit2(p, "port 127.0.0.1:" + taken.getLocalPort() + " is in use");
        }
    }

    @Test
    void consolePortInUse(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Proc p = bladeshare(Map.of(), nodeFlags(dir.resolve("n"), Env.freePort(), taken.getLocalPort(), Env.freeClusterPort()));
            assertOneSentenceExit2(p, "port 127.0.0.1:" + taken.getLocalPort() + " is in use");
        }
    }

    @Test
    void clusterPortInUse(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Proc p = bladeshare(Map.of(), nodeFlags(dir.resolve("n"), Env.freePort(), Env.freePort(), taken.getLocalPort()));
            assertOneSentenceExit2(p, "127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void secondNodeOnTheSameDataDir(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("n");
        NodeProcess first = new NodeProcess("n", dir, Env.freePort(), Env.freePort(), Env.freeClusterPort());
        try (first) {
            first.start(dir.resolve("shared"), "127.0.0.1:" + first.clusterPort);
            first.awaitOk(1, java.time.Duration.ofSeconds(90));
            Proc p = bladeshare(Map.of(), nodeFlags(data, Env.freePort(), Env.freePort(), Env.freeClusterPort()));
            assertOneSentenceExit2(p, "another node is already running with the data directory");
        }
    }

    @Test
    void unwritableDataDir(@TempDir Path dir) throws Exception {
        // Root writes through permission bits, so the data dir is placed below a regular file instead.
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Proc p = bladeshare(Map.of(), nodeFlags(file.resolve("data"), Env.freePort(), Env.freePort(), Env.freeClusterPort()));
        assertOneSentenceExit2(p, "is not writable");
    }

    @Test
    void badPortNumber(@TempDir Path dir) {
        assertOneSentenceExit2(bladeshare(Map.of(), "--data-dir", dir.toString(), "--smb-port", "70000"), "between 1 and 65535");
    }

    @Test
    void noJdk25() {
        Proc p = bladeshare(Map.of("JAVA_HOME", "/nonexistent", "BLADESHARE_JDK_DIRS", "/nonexistent/jvm"), "--help");
        assertOneSentenceExit2(p, "no JDK 25 found");
    }

    @Test
    void bladectlWithoutANodeSaysSoAndExits3(@TempDir Path dir) {
        Proc p = Proc.run(List.of(Env.BLADECTL.toString(), "--data-dir", dir.toString(), "status"), null, Duration.ofSeconds(60));
        assertEquals(3, p.exit(), p::toString);
        assertTrue(p.err().contains("no node is running with data directory"), p::toString);
    }

    @Test
    void bladectlUnknownCommandIsUsageError() {
        Proc p = Proc.run(List.of(Env.BLADECTL.toString(), "frobnicate"), null, Duration.ofSeconds(60));
        assertEquals(2, p.exit(), p::toString);
        assertTrue(p.err().contains("frobnicate"), p::toString);
    }
}
