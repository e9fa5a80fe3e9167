package org.bladeshare.smb.vfs;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.fscc.Wildcard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paths never leave the share: no "..", no absolute names, no symbolic link out of the root. */
class SmbPathAndVfsTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Test
    void normalizesSeparatorsAndStream() {
        assertEquals("a/b/c.txt", SmbPath.normalize("a\\b\\c.txt"));
        assertEquals("", SmbPath.normalize(""));
        assertEquals("f", SmbPath.normalize("f::$DATA"));
    }

    @Test
    void refusesEscapes() {
        assertEquals(NtStatus.OBJECT_PATH_SYNTAX_BAD,
            assertThrows(NtStatusException.class, () -> SmbPath.normalize("a\\..\\..\\etc")).status());
        assertEquals(NtStatus.INVALID_PARAMETER,
            assertThrows(NtStatusException.class, () -> SmbPath.normalize("\\etc\\passwd")).status());
        assertEquals(NtStatus.OBJECT_NAME_INVALID,
            assertThrows(NtStatusException.class, () -> SmbPath.normalize("C:\\Windows")).status());
        assertThrows(NtStatusException.class, () -> SmbPath.normalize("a/b"));
    }

    @Test
    void symlinkOutOfTheShareIsRefusedAndHiddenFromListings() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("escape.txt"), outside.resolve("secret.txt"));
        Files.writeString(root.resolve("ok.txt"), "ok");
        Files.createSymbolicLink(root.resolve("inside"), root.resolve("ok.txt"));
        PosixVfs vfs = new PosixVfs(root);
        assertThrows(NtStatusException.class, () -> vfs.stat("escape/secret.txt"));
        assertThrows(NtStatusException.class, () -> vfs.open("escape.txt", false, false, false, false));
        assertTrue(vfs.stat("inside").isPresent(), "links that stay inside work");
        assertThrows(NtStatusException.class, () -> vfs.open("escape/new.txt", true, true, true, false),
            "no file is created through a directory link that leads outside");
        assertFalse(Files.exists(outside.resolve("new.txt")));
        Files.createDirectories(root.resolve("real/deeper"));
        Files.writeString(root.resolve("real/deeper/x.txt"), "x");
        Files.createSymbolicLink(root.resolve("real/alias"), root.resolve("real/deeper"));
        assertTrue(vfs.stat("real/alias/x.txt").isPresent(), "a directory link that stays inside works");
        var names = vfs.list("").stream().map(DirEntry::name).toList();
        assertTrue(names.contains("ok.txt"));
        assertFalse(names.contains("escape"));
        assertFalse(names.contains("escape.txt"));
    }

    @Test
    void caseInsensitiveLookupFindsTheNameOnDisk() throws Exception {
        Files.createDirectories(root.resolve("Docs/Sub"));
        Files.writeString(root.resolve("Docs/Sub/ReadMe.TXT"), "x");
        PosixVfs vfs = new PosixVfs(root);
        assertEquals("Docs/Sub/ReadMe.TXT", vfs.resolveCase("docs/SUB/readme.txt").orElseThrow());
        assertTrue(vfs.resolveCase("docs/nothing").isEmpty());
    }

    @Test
    void wildcards() {
        assertTrue(Wildcard.matches("*", "anything"));
        assertTrue(Wildcard.matches("*.TXT", "notes.txt"));
        assertFalse(Wildcard.matches("*.txt", "notes.txt.bak"));
        assertTrue(Wildcard.matches("f?le", "FILE"));
        assertFalse(Wildcard.matches("f?le", "fiile"));
        assertTrue(Wildcard.matches("<.TXT", "a.txt"));
        assertTrue(Wildcard.matches("a\"b", "a.b"));
        assertFalse(Wildcard.matches("*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(200)));
    }
}
