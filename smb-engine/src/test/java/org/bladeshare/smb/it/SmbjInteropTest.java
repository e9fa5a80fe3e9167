package org.bladeshare.smb.it;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.share.DiskShare;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** smbj (another independent client) over signed and encrypted sessions. */
class SmbjInteropTest {
    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(share, List.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} encrypt={1}")
    @CsvSource({"SMB_3_1_1, true", "SMB_3_1_1, false", "SMB_3_0_2, true", "SMB_2_1, false"})
    void writeReadListRenameDelete(SMB2Dialect dialect, boolean encrypt) throws Exception {
        SmbConfig config = SmbConfig.builder().withDialects(dialect).withEncryptData(encrypt)
            .withSigningRequired(true).withTimeout(20, TimeUnit.SECONDS).build();
        byte[] data = new byte[5 * 1024 * 1024 + 3];
        new Random(11).nextBytes(data);
        try (SMBClient client = new SMBClient(config);
             var connection = client.connect("127.0.0.1", server.port())) {
            var session = connection.authenticate(new AuthenticationContext(TestServers.USER,
                TestServers.PASSWORD.toCharArray(), "WORKGROUP"));
            try (DiskShare disk = (DiskShare) session.connectShare("public")) {
                disk.mkdir("dir");
                try (var f = disk.openFile("dir\\data.bin", EnumSet.of(AccessMask.GENERIC_WRITE), null,
                    Set.of(SMB2ShareAccess.FILE_SHARE_READ), SMB2CreateDisposition.FILE_CREATE, null);
                     OutputStream out = f.getOutputStream()) {
                    out.write(data);
                }
                assertArrayEquals(data, Files.readAllBytes(share.resolve("dir/data.bin")));
                try (var f = disk.openFile("dir\\data.bin", EnumSet.of(AccessMask.GENERIC_READ), null,
                    Set.of(SMB2ShareAccess.FILE_SHARE_READ), SMB2CreateDisposition.FILE_OPEN, null);
                     InputStream in = f.getInputStream()) {
                    assertArrayEquals(data, in.readAllBytes());
                }
                var names = disk.list("dir").stream().map(i -> i.getFileName()).toList();
                assertTrue(names.contains("data.bin"), names.toString());
                assertEquals(data.length, disk.getFileInformation("dir\\data.bin").getStandardInformation()
                    .getEndOfFile());
                try (var f = disk.openFile("dir\\data.bin", EnumSet.of(AccessMask.DELETE, AccessMask.GENERIC_READ),
                    null, Set.of(SMB2ShareAccess.FILE_SHARE_READ), SMB2CreateDisposition.FILE_OPEN, null)) {
                    f.rename("dir\\moved.bin");
                }
                assertTrue(Files.exists(share.resolve("dir/moved.bin")));
                disk.rm("dir\\moved.bin");
                disk.rmdir("dir", false);
                assertFalse(Files.exists(share.resolve("dir")));
            }
        }
    }
}
