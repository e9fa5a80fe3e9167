package org.bladeshare.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.*;

class FirmwareBundleTest {

    @Test
    void bundleCarriesEveryFileWithItsDigestAndIsReproducible(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[]{1, 2, 3, 4});
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("bladeshare"), "#!/bin/sh\n");
        Path out1 = dir.resolve("fw1.zip");
        Path out2 = dir.resolve("fw2.zip");
        FirmwareBundle.build(jar, bin, "1.2.3", out1);
        FirmwareBundle.build(jar, bin, "1.2.3", out2);
        assertArrayEquals(Files.readAllBytes(out1), Files.readAllBytes(out2), "same inputs, same bytes");

        try (ZipFile zip = new ZipFile(out1.toFile())) {
            JsonNode manifest = new ObjectMapper().readTree(zip.getInputStream(zip.getEntry("MANIFEST.json")));
            assertEquals("1.2.3", manifest.path("version").asText());
            assertEquals(2, manifest.path("files").size());
            for (JsonNode f : manifest.path("files")) {
                byte[] content = zip.getInputStream(zip.getEntry(f.path("path").asText())).readAllBytes();
                assertEquals(content.length, f.path("size").asLong());
                assertEquals(HexFormat.of().formatHex(FirmwareBundle.sha256().digest(content)), f.path("sha256").asText());
            }
        }
    }

    @Test
    void missingJarIsASentenceNotAnEmptyBundle(@TempDir Path dir) {
        var e = assertThrows(IOException.class, () -> FirmwareBundle.build(dir.resolve("none.jar"), dir, "1", dir.resolve("x.zip")));
        assertTrue(e.getMessage().contains("build the appliance module first"));
        assertFalse(Files.exists(dir.resolve("x.zip")));
    }
}
