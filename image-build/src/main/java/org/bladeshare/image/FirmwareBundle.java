package org.bladeshare.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds the firmware bundle a blade installs: the appliance's fat JAR, the launch scripts,
 * and a manifest listing every file with its size and SHA-256. Entries are written in a fixed
 * order with fixed timestamps, so the same inputs give the same bytes (a reproducible image).
 * Signing the manifest comes with the upgrade issue; the manifest is its input.
 */
public final class FirmwareBundle {
    static final String MANIFEST = "MANIFEST.json";
    private static final FileTime EPOCH = FileTime.fromMillis(315532800000L); // 1980-01-01, zip's epoch

    /** One file of the bundle. */
    public record Entry(String path, long size, String sha256) {
    }

    private FirmwareBundle() {
    }

    /** Writes the bundle; returns the manifest's entries. */
    public static List<Entry> build(Path jar, Path binDir, String version, Path out) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no appliance JAR at " + jar + ": build the appliance module first");
        }
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("bladeshare.jar", jar);
        try (Stream<Path> bin = Files.walk(binDir)) {
            bin.filter(Files::isRegularFile).sorted()
               .forEach(p -> files.put("bin/" + binDir.relativize(p).toString().replace('\\', '/'), p));
        }
        List<Entry> entries = new ArrayList<>();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".part");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (var f : files.entrySet()) {
                entries.add(copy(zip, f.getKey(), f.getValue()));
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("product", "Bladeshare");
            manifest.put("version", version);
            manifest.put("files", entries);
            byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(manifest);
            ZipEntry e = entry(MANIFEST);
            zip.putNextEntry(e);
            zip.write(json);
            zip.closeEntry();
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return entries;
    }

    private static Entry copy(ZipOutputStream zip, String name, Path file) throws IOException {
        MessageDigest sha = sha256();
        zip.putNextEntry(entry(name));
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            size = in.transferTo(zip);
        }
        zip.closeEntry();
        return new Entry(name, size, HexFormat.of().formatHex(sha.digest()));
    }

    private static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setLastModifiedTime(EPOCH);
        return e;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code FirmwareBundle JAR BIN_DIR VERSION OUT.zip} */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: FirmwareBundle JAR BIN_DIR VERSION OUT.zip");
            System.exit(2);
        }
        List<Entry> entries = build(Path.of(args[0]), Path.of(args[1]), args[2], Path.of(args[3]));
        long bytes = entries.stream().mapToLong(Entry::size).sum();
        System.out.printf("firmware %s: %d files, %d MiB -> %s%n", args[2], entries.size(), bytes >> 20, args[3]);
    }

}
