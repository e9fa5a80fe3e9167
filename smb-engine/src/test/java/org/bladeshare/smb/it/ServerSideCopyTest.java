package org.bladeshare.smb.it;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Server-side copy ([MS-SMB2] 3.3.5.15.6) as smbj's {@code File.remoteCopyTo} does it — resume
 * key, then FSCTL_SRV_COPYCHUNK_WRITE batches within the server's limits — over an encrypted
 * 3.1.1 session, the way Windows Explorer copies within a share.
 */
class ServerSideCopyTest {
    @TempDir
    Path share;
    SmbServer server;
    SMBClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(share, List.of());
        client = new SMBClient(SmbConfig.builder().withDialects(SMB2Dialect.SMB_3_1_1).withEncryptData(true)
            .withSigningRequired(true).withTimeout(30, TimeUnit.SECONDS).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private Session logOn() throws Exception {
        return client.connect("127.0.0.1", server.port()).authenticate(new AuthenticationContext(TestServers.USER,
            TestServers.PASSWORD.toCharArray(), "WORKGROUP"));
    }

    private static File open(DiskShare disk, String name, AccessMask access, SMB2CreateDisposition disposition) {
        return disk.openFile(name, EnumSet.of(access), null, SMB2ShareAccess.ALL, disposition, null);
    }

    @Test
    void aFileLargerThanOneRequestIsCopiedByTheServerByteForByte() throws Exception {
        byte[] data = new byte[40 * 1024 * 1024 + 7]; // three 16 MiB requests, the last chunk short
        new Random(5).nextBytes(data);
        Files.write(share.resolve("original.bin"), data);
        try (DiskShare disk = (DiskShare) logOn().connectShare("public");
             File source = open(disk, "original.bin", AccessMask.GENERIC_READ, SMB2CreateDisposition.FILE_OPEN);
             File target = open(disk, "copy.bin", AccessMask.GENERIC_WRITE, SMB2CreateDisposition.FILE_CREATE)) {
            source.remoteCopyTo(target);
        }
        assertEquals(sha256(data), sha256(Files.readAllBytes(share.resolve("copy.bin"))));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
