package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * smbclient's large transfers on a signed session (the server requires signing): 1 MiB WRITEs
 * gathered from many socket reads, and READs answered from pooled buffers after the response
 * body, each signature covering the whole message. A wrong byte or signature fails the transfer.
 */
class LargeSignedTransferTest {
    @org.junit.jupiter.api.io.TempDir
    Path share;
    @org.junit.jupiter.api.io.TempDir
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SMB3_11", "SMB3_00", "SMB2_10"}) // AES-GMAC, AES-CMAC, HMAC-SHA256
    void filesLargerThanOneReadComeBackIdentical(String dialect) throws Exception {
        byte[] data = new byte[17 * 1024 * 1024 + 4099]; // 17 full 1 MiB WRITEs and READs, a ragged tail
        new Random(5).nextBytes(data);
        Files.write(local.resolve("big.bin"), data);
        var r = SmbClientProcess.run(local, 120, "//127.0.0.1/public", "-p", String.valueOf(server.port()),
            "-U", TestServers.USER + "%" + TestServers.PASSWORD, "-m", dialect,
            "--option=clientminprotocol=SMB2_10", "-c", "put big.bin big.bin; get big.bin back.bin");
        assertEquals(0, r.exitCode(), r.output());
        assertArrayEquals(data, Files.readAllBytes(share.resolve("big.bin")), "written");
        byte[] back = Files.readAllBytes(local.resolve("back.bin"));
        assertEquals(data.length, back.length);
        assertTrue(Arrays.equals(data, back), "read back");
    }
}
