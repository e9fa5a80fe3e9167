package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The walking skeleton: Samba's smbclient lists, uploads and downloads 16 MiB through the engine. */
class SmbClientThinPathTest {
    @TempDir
    Path share;
    @TempDir
    Path local;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(SmbClientProcess.available(), "smbclient is not installed");
        server = TestServers.start(share, List.of());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String url() {
        return "//127.0.0.1/public";
    }

    @Test
    void putAndGetSixteenMebibytesKeepTheirBytes() throws Exception {
        byte[] data = new byte[16 * 1024 * 1024];
        new Random(42).nextBytes(data);
        Files.write(local.resolve("f"), data);
        Files.writeString(share.resolve("already-there.txt"), "hello");

        var r = SmbClientProcess.run(local, 120, url(), "-p", String.valueOf(server.port()),
            "-U", TestServers.USER + "%" + TestServers.PASSWORD, "-c", "ls; put f; get f g");

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("already-there.txt"), r.output());
        assertEquals(sha256(data), sha256(Files.readAllBytes(share.resolve("f"))), "uploaded bytes differ");
        assertEquals(sha256(data), sha256(Files.readAllBytes(local.resolve("g"))), "downloaded bytes differ");
    }

    @Test
    void wrongPasswordIsRefusedWithLogonFailure() throws Exception {
        var r = SmbClientProcess.run(local, 60, url(), "-p", String.valueOf(server.port()),
            "-U", TestServers.USER + "%not-the-password", "-c", "ls");
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().contains("NT_STATUS_LOGON_FAILURE"), r.output());
    }

    @Test
    void unknownUserIsRefusedWithLogonFailure() throws Exception {
        var r = SmbClientProcess.run(local, 60, url(), "-p", String.valueOf(server.port()),
            "-U", "nobody%whatever", "-c", "ls");
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().contains("NT_STATUS_LOGON_FAILURE"), r.output());
    }

    @Test
    void unknownShareIsBadNetworkName() throws Exception {
        var r = SmbClientProcess.run(local, 60, "//127.0.0.1/nosuch", "-p", String.valueOf(server.port()),
            "-U", TestServers.USER + "%" + TestServers.PASSWORD, "-c", "ls");
        assertTrue(r.exitCode() != 0, r.output());
        assertTrue(r.output().contains("NT_STATUS_BAD_NETWORK_NAME"), r.output());
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
