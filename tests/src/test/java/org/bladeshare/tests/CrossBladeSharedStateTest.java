package org.bladeshare.tests;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mserref.NtStatus;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two clients on two different blades see each other's opens and locks: the SMB engine's
 * share-mode and byte-range-lock tables live in the cluster's volatile databases, so a
 * conflict is found wherever the other client connected (Samba's locking.tdb over CTDB).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossBladeSharedStateTest {
    private static final String PASSWORD = "Cross-pass-1";
    private Path work;
    private List<NodeProcess> nodes;
    private final SMBClient client = new SMBClient(SmbConfig.builder().withSigningRequired(true)
            .withTimeout(20, TimeUnit.SECONDS).build());

    @BeforeAll
    void boot() throws Exception {
        work = Files.createTempDirectory("bladeshare-cross");
        nodes = NodeProcess.startCluster(work, 2);
        for (NodeProcess n : nodes) {
            n.awaitOk(2, Duration.ofSeconds(120));
        }
        assertEquals(0, nodes.get(0).ctl(PASSWORD + "\n", "user", "add", "bob").exit());
        Path share = Files.createDirectories(work.resolve("shared/data"));
        assertEquals(0, nodes.get(0).ctl(null, "share", "add", "data", share.toString()).exit());
    }

    @AfterAll
    void stop() {
        client.close();
        nodes.forEach(NodeProcess::close);
    }

    private DiskShare connect(NodeProcess node) throws Exception {
        Connection c = client.connect("127.0.0.1", node.smbPort);
        return (DiskShare) c.authenticate(new AuthenticationContext("bob", PASSWORD.toCharArray(), "WORKGROUP"))
                .connectShare("data");
    }

    @Test
    void anExclusiveOpenOnBlade1RefusesASecondOpenOnBlade2() throws Exception {
        try (DiskShare one = connect(nodes.get(0)); DiskShare two = connect(nodes.get(1))) {
            try (File held = one.openFile("report.docx", EnumSet.of(AccessMask.GENERIC_READ, AccessMask.GENERIC_WRITE),
                    null, Set.of(), SMB2CreateDisposition.FILE_OVERWRITE_IF, null)) {
                held.write("draft".getBytes(StandardCharsets.UTF_8), 0);
                SMBApiException e = assertThrows(SMBApiException.class, () -> two.openFile("report.docx",
                        EnumSet.of(AccessMask.GENERIC_READ), null, Set.of(SMB2ShareAccess.FILE_SHARE_READ),
                        SMB2CreateDisposition.FILE_OPEN, null));
                assertEquals(NtStatus.STATUS_SHARING_VIOLATION, e.getStatus());
            }
            // Once blade 1's client closes, blade 2's client gets in.
            try (File again = two.openFile("report.docx", EnumSet.of(AccessMask.GENERIC_READ), null,
                    Set.of(SMB2ShareAccess.FILE_SHARE_READ), SMB2CreateDisposition.FILE_OPEN, null)) {
                byte[] buf = new byte[5];
                assertEquals(5, again.read(buf, 0));
                assertEquals("draft", new String(buf, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aLockHeldThroughBlade1BlocksWritesAndLocksThroughBlade2UntilReleased() throws Exception {
        Set<SMB2ShareAccess> shareAll = EnumSet.allOf(SMB2ShareAccess.class);
        try (DiskShare one = connect(nodes.get(0)); DiskShare two = connect(nodes.get(1))) {
            try (File a = one.openFile("ledger.db", EnumSet.of(AccessMask.GENERIC_READ, AccessMask.GENERIC_WRITE), null,
                    shareAll, SMB2CreateDisposition.FILE_OVERWRITE_IF, null);
                 File b = two.openFile("ledger.db", EnumSet.of(AccessMask.GENERIC_READ, AccessMask.GENERIC_WRITE), null,
                    shareAll, SMB2CreateDisposition.FILE_OPEN, null)) {
                a.write(new byte[4096], 0);
                a.requestLock().exclusiveLock(0, 100, true).send();

                SMBApiException lock = assertThrows(SMBApiException.class, () -> b.requestLock().exclusiveLock(50, 10, true).send());
                assertEquals(NtStatus.STATUS_LOCK_NOT_GRANTED, lock.getStatus());
                SMBApiException write = assertThrows(SMBApiException.class, () -> b.write(new byte[]{1}, 10));
                assertEquals(NtStatus.STATUS_FILE_LOCK_CONFLICT, write.getStatus());
                b.write(new byte[]{2}, 200); // outside the range: allowed

                a.requestLock().unlock(0, 100).send();
                b.requestLock().exclusiveLock(50, 10, true).send();
                b.write(new byte[]{3}, 55);
            }
        }
    }
}
