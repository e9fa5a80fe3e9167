package org.bladeshare.tests.torture;

import org.bladeshare.tests.NodeProcess;
import org.bladeshare.tests.Proc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Samba's conformance suite against one real node. {@code smbtorture/expected-pass.txt} is
 * the checked-in list of subtests known to pass (smbtorture's own habit): a subtest on it
 * that stops passing fails the build; a subtest that starts passing is printed, to be added.
 * Results land in {@code target/smbtorture/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmbTortureSuitesTest {
    private static final String PASSWORD = "Secret-123";
    private static final String PASSWORD2 = "Other-456";
    private final Map<String, Set<String>> expected = new LinkedHashMap<>();
    private Path work;
    private NodeProcess node;

    @BeforeAll
    void bootNode() throws Exception {
        readExpected();
        work = Files.createTempDirectory("bladeshare-torture");
        node = NodeProcess.startCluster(work, 1).getFirst();
        node.awaitOk(1, Duration.ofSeconds(120));
        assertEquals(0, node.ctl(PASSWORD + "\n", "user", "add", "alice").exit());
        // a second account for the subtests that need two users (smb2.session.bind_different_user)
        assertEquals(0, node.ctl(PASSWORD2 + "\n", "user", "add", "bob").exit());
        Path share = Files.createDirectories(work.resolve("shared/share"));
        assertEquals(0, node.ctl(null, "share", "add", "share", share.toString()).exit());
        Files.createDirectories(Path.of("target/smbtorture"));
        Files.deleteIfExists(Path.of("target/smbtorture/summary.txt"));
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private void readExpected() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/smbtorture/expected-pass.txt")) {
            assertNotNull(in, "smbtorture/expected-pass.txt is on the test classpath");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+", 2);
                Set<String> subtests = expected.computeIfAbsent(parts[0], k -> new TreeSet<>());
                if (parts.length == 2) {
                    subtests.add(parts[1]);
                }
            }
        }
    }

    /** The suites this run covers: every suite named in expected-pass.txt, in its order. */
    List<String> suites() throws IOException {
        if (expected.isEmpty()) {
            readExpected();
        }
        return new ArrayList<>(expected.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void suitePassesAtLeastWhatItPassedBefore(String suite) throws Exception {
        long t0 = System.nanoTime();
        Proc p = Proc.run(List.of("smbtorture", "//127.0.0.1/share", "-p", Integer.toString(node.smbPort),
                "-U", "alice%" + PASSWORD, "--option=torture:sharedelay=100000",
                "--option=torture:user2name=bob", "--option=torture:user2password=" + PASSWORD2, suite), null, Duration.ofSeconds(240));
        TortureRun run = TortureRun.parse(suite, p.out() + "\n" + p.err(), p.exit(), (System.nanoTime() - t0) / 1_000_000_000L);
        Files.writeString(Path.of("target/smbtorture/" + suite + ".log"), p.out() + "\n--- stderr\n" + p.err());
        Files.writeString(Path.of("target/smbtorture/summary.txt"), run.summary() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("smbtorture " + run.summary());

        Set<String> regressions = new TreeSet<>(expected.get(suite));
        regressions.removeAll(run.passed());
        Set<String> newlyPassing = new TreeSet<>(run.passed());
        newlyPassing.removeAll(expected.get(suite));
        if (!newlyPassing.isEmpty()) {
            System.out.println("smbtorture " + suite + " newly passing (add to expected-pass.txt): " + newlyPassing);
        }
        assertTrue(node.alive(), "the node survived " + suite + "\n" + node.logTail());
        assertTrue(regressions.isEmpty(), suite + " no longer passes " + regressions + "; see target/smbtorture/" + suite + ".log");
    }
}
