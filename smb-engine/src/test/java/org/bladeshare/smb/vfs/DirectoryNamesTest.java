package org.bladeshare.smb.vfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Case-insensitive lookups through the per-directory listing, and when that listing is renewed. */
class DirectoryNamesTest {
    @TempDir
    Path root;

    @Test
    void filesCreatedThroughTheVfsAreFoundUnderAnyCase() throws Exception {
        Files.createDirectories(root.resolve("Docs"));
        PosixVfs vfs = new PosixVfs(root);
        for (int i = 0; i < 50; i++) {
            assertTrue(vfs.resolveCase("docs/report" + i + ".TXT").isEmpty(), "nothing yet");
            vfs.open("Docs/Report" + i + ".txt", true, true, true, false).close();
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("Docs/Report" + i + ".txt", vfs.resolveCase("DOCS/report" + i + ".TXT").orElseThrow());
        }
        vfs.createDirectory("Docs/Sub");
        assertEquals("Docs/Sub", vfs.resolveCase("docs/SUB").orElseThrow());
        vfs.delete("Docs/Report7.txt");
        assertTrue(vfs.resolveCase("docs/report7.txt").isEmpty(), "a deleted name is gone");
        vfs.rename("Docs/Report8.txt", "Docs/Renamed.txt", false);
        assertTrue(vfs.resolveCase("docs/report8.txt").isEmpty(), "a renamed name is gone");
        assertEquals("Docs/Renamed.txt", vfs.resolveCase("docs/renamed.TXT").orElseThrow());
    }

    @Test
    void aNameAddedBehindTheServersBackIsSeenOnceTheDirectoryTimeMoves() throws Exception {
        Path docs = Files.createDirectories(root.resolve("docs"));
        PosixVfs vfs = new PosixVfs(root);
        vfs.open("docs/a.txt", true, true, true, false).close();
        assertTrue(vfs.resolveCase("docs/OTHER.txt").isEmpty());
        FileTime listed = Files.getLastModifiedTime(docs);
        Files.createFile(docs.resolve("Other.txt")); // another process (or node) adds a name
        // a later clock tick than the listing's, as any change after the current tick has
        Files.setLastModifiedTime(docs, FileTime.fromMillis(listed.toMillis() + 1000));
        assertEquals("docs/Other.txt", vfs.resolveCase("docs/OTHER.txt").orElseThrow());
    }

    @Test
    void foldingAgreesWithEqualsIgnoreCase() {
        String[][] pairs = {{"abc", "ABC"}, {"k", "\u212A"}, {"s", "\u017F"}, {"\u00DF", "SS"}, {"i", "\u0130"},
            {"\u00E9t\u00E9", "\u00C9T\u00C9"}, {"a", "b"}, {"\uD801\uDC00", "\uD801\uDC28"}, {"f1", "F1"}};
        for (String[] p : pairs) {
            assertEquals(p[0].equalsIgnoreCase(p[1]), DirectoryNames.fold(p[0]).equals(DirectoryNames.fold(p[1])),
                p[0] + " / " + p[1]);
        }
    }
}
