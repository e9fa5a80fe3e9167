package org.bladeshare.smb.it;

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
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 4 with an independent client: two smbj clients on separate connections see each other's
 * share modes and byte-range locks, and a lock goes away with the connection that held it.
 * (Oplock breaks and durable reconnects, which smbj does not implement, are shown with the raw
 * client in OplockBreakTest and DurableHandleTest.)
 */
class TwoSmbjClientsTest {
    private static final Set<SMB2ShareAccess> SHARE_ALL = EnumSet.allOf(SMB2ShareAccess.class);
    @TempDir
    Path share;
    SmbServer server;
    SMBClient clients;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(share.resolve("f.txt"), "0123456789abcdef");
        server = TestServers.start(share, List.of());
        clients = new SMBClient(SmbConfig.builder().withSigningRequired(true).withTimeout(20, TimeUnit.SECONDS).build());
    }

    @AfterEach
    void stop() {
        clients.close();
        server.close();
    }

    /** A connection of its own (smbj pools connections per address; a second client must not share it). */
    private DiskShare logOn(SMBClient client) throws Exception {
        Connection c = client.connect("127.0.0.1", server.port());
        return (DiskShare) c.authenticate(new AuthenticationContext(TestServers.USER, TestServers.PASSWORD.toCharArray(),
            "WORKGROUP")).connectShare("public");
    }

    private static File open(DiskShare disk, Set<SMB2ShareAccess> share) {
        return disk.openFile("f.txt", EnumSet.of(AccessMask.GENERIC_READ, AccessMask.GENERIC_WRITE), null, share,
            SMB2CreateDisposition.FILE_OPEN, null);
    }

    @Test
    void anOpenThatSharesNothingRefusesTheOtherClientUntilClosed() throws Exception {
        try (SMBClient other = new SMBClient()) {
            DiskShare a = logOn(clients);
            DiskShare b = logOn(other);
            File exclusive = open(a, Set.of());
            SMBApiException refused = assertThrows(SMBApiException.class, () -> open(b, SHARE_ALL));
            assertEquals(NtStatus.STATUS_SHARING_VIOLATION, refused.getStatus());
            exclusive.close();
            open(b, SHARE_ALL).close();
        }
    }

    @Test
    void aLockBlocksTheOtherClientAndGoesWithTheConnectionThatHeldIt() throws Exception {
        try (SMBClient other = new SMBClient()) {
            DiskShare a = logOn(clients);
            DiskShare b = logOn(other);
            File held = open(a, SHARE_ALL);
            held.requestLock().exclusiveLock(0, 10, true).send();

            File waiting = open(b, SHARE_ALL);
            SMBApiException notGranted = assertThrows(SMBApiException.class,
                () -> waiting.requestLock().exclusiveLock(0, 10, true).send());
            assertEquals(NtStatus.STATUS_LOCK_NOT_GRANTED, notGranted.getStatus());
            SMBApiException conflict = assertThrows(SMBApiException.class,
                () -> waiting.write("XX".getBytes(StandardCharsets.US_ASCII), 2));
            assertEquals(NtStatus.STATUS_FILE_LOCK_CONFLICT, conflict.getStatus());

            a.getTreeConnect().getSession().getConnection().close(true); // the TCP connection drops, no CLOSE sent
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    waiting.requestLock().exclusiveLock(0, 10, true).send();
                    break;
                } catch (SMBApiException e) {
                    assertEquals(NtStatus.STATUS_LOCK_NOT_GRANTED, e.getStatus());
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the lock outlived its connection by 10 s", e);
                    }
                    Thread.sleep(20);
                }
            }
            waiting.write("XX".getBytes(StandardCharsets.US_ASCII), 2);
            waiting.close();
            assertEquals("01XX456789abcdef", Files.readString(share.resolve("f.txt")));
        }
    }
}
