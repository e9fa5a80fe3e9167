package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.server.ShareConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Everyday smbclient commands against the engine, checked on the share's disk. */
class SmbClientOperationsTest {
    @TempDir
    Path share;
    @TempDir
    Path readOnlyShare;
    @TempDir
    Path local;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(SmbClientProcess.available(), "smbclient is not installed");
        server = TestServers.start(share, List.of(new ShareConfig("ro", readOnlyShare, "Read only", false, true),
            new ShareConfig("secure", share, "Encrypted", true, false)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SmbClientProcess.Result smbclient(String shareName, String commands, String... extra) throws Exception {
        var args = new java.util.ArrayList<>(List.of("//127.0.0.1/" + shareName, "-p", String.valueOf(server.port()),
            "-U", TestServers.USER + "%" + TestServers.PASSWORD));
        args.addAll(List.of(extra));
        args.addAll(List.of("-c", commands));
        return SmbClientProcess.run(local, 60, args.toArray(String[]::new));
    }

    @Test
    void mkdirRenameAllinfoDeleteRmdir() throws Exception {
        Files.writeString(local.resolve("note.txt"), "twelve bytes");
        var r = smbclient("public", "mkdir docs; cd docs; put note.txt; rename note.txt renamed.txt; "
            + "allinfo renamed.txt; ls");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(Files.isDirectory(share.resolve("docs")));
        assertFalse(Files.exists(share.resolve("docs/note.txt")));
        assertEquals("twelve bytes", Files.readString(share.resolve("docs/renamed.txt")));
        assertTrue(r.output().contains("attributes: A"), r.output());
        assertTrue(r.output().contains("stream: [::$DATA], 12 bytes"), r.output());
        assertTrue(r.output().contains("renamed.txt"), r.output());

        r = smbclient("public", "del docs\\renamed.txt; rmdir docs; ls");
        assertEquals(0, r.exitCode(), r.output());
        assertFalse(Files.exists(share.resolve("docs")));
    }

    @Test
    void rmdirOfANonEmptyDirectoryFails() throws Exception {
        Files.createDirectories(share.resolve("full"));
        Files.writeString(share.resolve("full/keep.txt"), "x");
        var r = smbclient("public", "rmdir full");
        assertTrue(r.output().contains("NT_STATUS_DIRECTORY_NOT_EMPTY"), r.output());
        assertTrue(Files.exists(share.resolve("full/keep.txt")));
    }

    @Test
    void namesAreCaseInsensitive() throws Exception {
        Files.writeString(share.resolve("MixedCase.TXT"), "content");
        var r = smbclient("public", "get mixedcase.txt got.txt");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("content", Files.readString(local.resolve("got.txt")));
    }

    @Test
    void readOnlyShareRefusesWritesButServesReads() throws Exception {
        Files.writeString(readOnlyShare.resolve("doc.txt"), "read me");
        Files.writeString(local.resolve("up.txt"), "nope");
        var r = smbclient("ro", "get doc.txt down.txt; put up.txt");
        assertEquals("read me", Files.readString(local.resolve("down.txt")));
        assertTrue(r.output().contains("NT_STATUS_ACCESS_DENIED"), r.output());
        assertFalse(Files.exists(readOnlyShare.resolve("up.txt")));
    }

    @Test
    void wildcardListingAndMissingFiles() throws Exception {
        Files.writeString(share.resolve("a.txt"), "a");
        Files.writeString(share.resolve("b.log"), "b");
        var r = smbclient("public", "ls *.txt");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("a.txt"), r.output());
        assertFalse(r.output().contains("b.log"), r.output());
        r = smbclient("public", "get missing.txt");
        assertTrue(r.output().contains("NT_STATUS_OBJECT_NAME_NOT_FOUND"), r.output());
    }

    @Test
    void olderDialectsWork() throws Exception {
        Files.writeString(local.resolve("x.bin"), "dialect test");
        for (String dialect : List.of("SMB2_02", "SMB2_10", "SMB3_00", "SMB3_02", "SMB3_11")) {
            var r = smbclient("public", "put x.bin x-" + dialect + ".bin; get x-" + dialect + ".bin y-" + dialect
                + ".bin", "-m", dialect, "--option=clientminprotocol=" + dialect);
            assertEquals(0, r.exitCode(), dialect + ": " + r.output());
            assertEquals("dialect test", Files.readString(local.resolve("y-" + dialect + ".bin")), dialect);
        }
    }

    @Test
    void encryptedSessionsWithCcmAndGcm() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(data);
        Files.write(local.resolve("big.bin"), data);
        for (String dialect : List.of("SMB3_11", "SMB3_00")) {
            var r = smbclient("public", "put big.bin enc-" + dialect + ".bin; get enc-" + dialect + ".bin back-"
                + dialect + ".bin", "-m", dialect, "--client-protection=encrypt");
            assertEquals(0, r.exitCode(), dialect + ": " + r.output());
            assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(local.resolve("back-" + dialect + ".bin"))),
                dialect);
        }
    }

    @Test
    void shareThatRequiresEncryptionIsServedEncrypted() throws Exception {
        Files.writeString(share.resolve("classified.txt"), "eyes only");
        var r = smbclient("secure", "get classified.txt out.txt");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("eyes only", Files.readString(local.resolve("out.txt")));
        r = smbclient("secure", "ls", "-m", "SMB2_10", "--option=clientminprotocol=SMB2_10");
        assertTrue(r.output().contains("NT_STATUS_ACCESS_DENIED"), "SMB 2.1 cannot encrypt: " + r.output());
    }

    @Test
    void listSharesThroughSrvsvc() throws Exception {
        var r = SmbClientProcess.run(local, 60, "-L", "//127.0.0.1", "-p", String.valueOf(server.port()),
            "-U", TestServers.USER + "%" + TestServers.PASSWORD);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().matches("(?s).*public\\s+Disk\\s+Public files.*"), r.output());
        assertTrue(r.output().matches("(?s).*ro\\s+Disk\\s+Read only.*"), r.output());
        assertTrue(r.output().matches("(?s).*IPC\\$\\s+IPC\\s+IPC Service.*"), r.output());
    }

    @Test
    void smb1MultiProtocolNegotiateUpgradesToSmb2AndPureSmb1IsRefused() throws Exception {
        Files.writeString(share.resolve("up.txt"), "upgraded");
        var r = smbclient("public", "get up.txt up-wild.txt", "--option=clientminprotocol=NT1");
        assertEquals(0, r.exitCode(), "SMB 2.??? wildcard: " + r.output());
        r = smbclient("public", "get up.txt up-202.txt", "--option=clientminprotocol=NT1",
            "--option=clientmaxprotocol=SMB2_02");
        assertEquals(0, r.exitCode(), "SMB 2.002 only: " + r.output());
        assertEquals("upgraded", Files.readString(local.resolve("up-202.txt")));
        r = smbclient("public", "ls", "--option=clientminprotocol=NT1", "--option=clientmaxprotocol=NT1");
        assertTrue(r.exitCode() != 0, r.output());
    }

    @Test
    void anonymousSessionListsSharesButCannotOpenThem() throws Exception {
        var r = SmbClientProcess.run(local, 60, "-L", "//127.0.0.1", "-p", String.valueOf(server.port()), "-N");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().matches("(?s).*public\\s+Disk.*"), r.output());
        r = SmbClientProcess.run(local, 60, "//127.0.0.1/public", "-p", String.valueOf(server.port()), "-N",
            "-c", "ls");
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().contains("NT_STATUS_ACCESS_DENIED"), r.output());
    }
}
