package org.bladeshare.cluster.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.bladeshare.cluster.wire.WireMessage.Change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersistentStoreTest {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appliedWritesAndTheSequenceNumberSurviveAReopen() throws Exception {
        Path file = tmp.resolve("users.mapdb");
        try (PersistentStore s = PersistentStore.open("users", file, tmp.resolve("t"))) {
            s.apply(1, "alice", b("a"));
            s.apply(2, "bob", b("b"));
            s.apply(3, "alice", null);
        }
        try (PersistentStore s = PersistentStore.open("users", file, tmp.resolve("t"))) {
            assertEquals(3, s.seq());
            assertTrue(s.get("alice").isEmpty());
            assertEquals("b", new String(s.get("bob").orElseThrow(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void installReplacesTheCopyAndReportsOnlyTheDifferences() throws Exception {
        try (PersistentStore s = PersistentStore.open("users", tmp.resolve("u.mapdb"), tmp.resolve("t"))) {
            s.apply(1, "alice", b("a"));
            s.apply(2, "bob", b("b"));
            List<String> changes = new ArrayList<>();
            s.watch((k, v) -> changes.add(k + "=" + (v == null ? "-" : new String(v, StandardCharsets.UTF_8))));
            TreeMap<String, byte[]> image = new TreeMap<>();
            image.put("bob", b("b"));
            image.put("carol", b("c"));
            s.install(7, image);
            assertEquals(7, s.seq());
            assertEquals(List.of("bob", "carol"), List.copyOf(s.snapshot().keySet()));
            assertEquals(List.of("alice=-", "carol=c"), changes);
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsSetAsideAndTheCopyStartsEmpty() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.mapdb"), "this is not a MapDB file at all, just text");
        try (PersistentStore s = PersistentStore.open("junk", junk, tmp.resolve("t"))) {
            assertEquals(0, s.seq(), "an unreadable copy is refilled by recovery from the cluster");
            assertTrue(s.snapshot().isEmpty());
        }
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("junk.mapdb.damaged-")
                    && readable(p).contains("just text")).count(), "the unreadable file is kept aside");
        }
    }

    private static String readable(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Child JVM: opens a store in args[0] and writes one record. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (PersistentStore s = PersistentStore.open("users", dir.resolve("u.mapdb"), dir.resolve("tmp"))) {
            s.apply(1, "k", b("v"));
        }
        System.out.println(net.jpountz.util.Native.isLoaded() ? "NATIVE" : "JAVA");
    }

    @Test
    void lz4NativeLibraryIsUnpackedIntoTheDataDirNotTheSystemTmp() throws Exception {
        Path systemTmp = Files.createDirectories(tmp.resolve("system-tmp"));
        Path data = tmp.resolve("data");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + systemTmp,
                "-cp", System.getProperty("java.class.path"), PersistentStoreTest.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "child finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("NATIVE"), out);
        try (var files = Files.list(systemTmp)) {
            assertEquals(List.of(), files.toList(), "nothing unpacked into java.io.tmpdir");
        }
        assertTrue(Files.exists(data.resolve("tmp").resolve("liblz4-java.so")));
    }

    @Test
    void aCopyWhoseBytesNoLongerMatchTheirDigestIsSetAsideAndStartsEmpty() throws Exception {
        Path file = tmp.resolve("torn.mapdb");
        try (PersistentStore s = PersistentStore.open("torn", file, tmp.resolve("t"))) {
            s.apply(1, "alice", b("MARKER-alice-0123456789"));
            s.apply(2, "bob", b("b"));
        }
        // what a torn write leaves: one record's bytes changed without a commit that says so
        boolean changed = false;
        try (var files = Files.list(tmp)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("torn.mapdb")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                if (text.contains("MARKER-alice-0123456789")) {
                    Files.write(f, text.replace("MARKER-alice-0123456789", "MARKER-alice-9876543210")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    changed = true;
                }
            }
        }
        assertTrue(changed, "the record's bytes were found in the file");
        try (PersistentStore s = PersistentStore.open("torn", file, tmp.resolve("t"))) {
            assertEquals(0, s.seq(), "a damaged copy reports sequence 0, so recovery refills it");
            assertTrue(s.snapshot().isEmpty());
            s.apply(1, "carol", b("c"));
        }
        try (var files = Files.list(tmp)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("torn.mapdb.damaged-")),
                    "the damaged file is kept aside");
        }
        try (PersistentStore s = PersistentStore.open("torn", file, tmp.resolve("t"))) {
            assertEquals(1, s.seq(), "the new copy is trusted after a clean reopen");
            assertEquals("c", new String(s.get("carol").orElseThrow(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void installWritesAnImageOverADigestedCopyThatReopensClean() throws Exception {
        Path file = tmp.resolve("img.mapdb");
        try (PersistentStore s = PersistentStore.open("img", file, tmp.resolve("t"))) {
            s.apply(1, "a", b("1"));
            s.apply(2, "b", b("2"));
            s.apply(3, "a", null);
            TreeMap<String, byte[]> image = new TreeMap<>();
            image.put("b", b("2"));
            image.put("c", b("3"));
            s.install(9, image);
            s.apply(10, "d", b("4"));
        }
        try (PersistentStore s = PersistentStore.open("img", file, tmp.resolve("t"))) {
            assertEquals(10, s.seq(), "the digest matched: the copy was kept");
            assertEquals(List.of("b", "c", "d"), List.copyOf(s.snapshot().keySet()));
        }
    }

    @Test
    void aTransactionWhoseChangeFailsHalfwayLeavesNoneOfItsChanges() throws Exception {
        Path file = tmp.resolve("half.mapdb");
        try (PersistentStore s = PersistentStore.open("half", file, tmp.resolve("t"))) {
            s.apply(1, "a", b("old"));
            List<Change> changes = new ArrayList<>();
            changes.add(new Change("a", b("new")));
            changes.add(new Change("b", b("2")));
            changes.add(new Change(null, b("a null key fails inside MapDB")));
            assertThrows(RuntimeException.class, () -> s.applyAll(2, changes));
            assertEquals(1, s.seq());
            assertEquals("old", new String(s.get("a").orElseThrow(), StandardCharsets.UTF_8));
            assertTrue(s.get("b").isEmpty());
            s.applyAll(2, List.of(new Change("c", b("3")), new Change("a", null)));
        }
        try (PersistentStore s = PersistentStore.open("half", file, tmp.resolve("t"))) {
            assertEquals(2, s.seq(), "the copy reopened clean: its digest matched");
            assertEquals(List.of("c"), List.copyOf(s.snapshot().keySet()));
        }
    }

    /** Child JVM: rewrites every record of a store in args[0] with the commit's sequence number, until killed. */
    public static final class CommitLoop {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            try (PersistentStore s = PersistentStore.open("loop", dir.resolve("loop.mapdb"), dir.resolve("tmp"))) {
                for (long seq = s.seq() + 1; ; seq++) {
                    List<Change> changes = new ArrayList<>();
                    for (int i = 0; i < RECORDS; i++) {
                        changes.add(new Change("r" + i, b(seq + "-" + "x".repeat(i % 50))));
                    }
                    s.applyAll(seq, changes);
                    System.out.println("COMMITTED " + seq);
                    System.out.flush();
                }
            }
        }
    }

    private static final int RECORDS = 1000;

    /**
     * kill -9 of a process in the middle of its multi-record commits, a few times: the copy
     * reopens with every record from the same transaction, at a sequence number at least the
     * last one reported committed, or (torn) is set aside and starts empty at 0.
     */
    @Test
    void aKillDuringMultiRecordCommitsLeavesEveryCopyWholeOrEmpty() throws Exception {
        Path dir = tmp.resolve("loop");
        java.util.Random random = new java.util.Random();
        long lastSeen = 0;
        for (int round = 0; round < 2; round++) {
            Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-cp", System.getProperty("java.class.path"), CommitLoop.class.getName(), dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long reported = 0;
            try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                int target = 1 + random.nextInt(3);
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("COMMITTED ")) {
                        reported = Long.parseLong(line.substring(10));
                        if (--target == 0) {
                            break;
                        }
                    }
                }
                Thread.sleep(random.nextInt(60)); // somewhere inside the next commit
                p.destroyForcibly(); // SIGKILL
                assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertTrue(reported > 0, "the child committed before it was killed");
            try (PersistentStore s = PersistentStore.open("loop", dir.resolve("loop.mapdb"), dir.resolve("tmp"))) {
                long seq = s.seq();
                var copy = s.snapshot();
                if (seq == 0) {
                    assertTrue(copy.isEmpty(), "a copy set aside starts empty");
                } else {
                    assertTrue(seq >= reported, "committed " + reported + " survives, found " + seq);
                    assertEquals(RECORDS, copy.size());
                    for (var e : copy.entrySet()) {
                        assertTrue(new String(e.getValue(), StandardCharsets.UTF_8).startsWith(seq + "-"),
                                e.getKey() + " from another transaction than seq " + seq);
                    }
                }
                lastSeen = seq;
            }
        }
        System.out.printf("kill -9 during 1000-record commits: last copy at seq %d%n", lastSeen);
    }
}
