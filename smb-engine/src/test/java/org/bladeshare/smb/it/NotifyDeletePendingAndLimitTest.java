package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.ChangeNotify;
import org.bladeshare.smb.smb2.Close;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.SessionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CHANGE_NOTIFY on a directory another open deletes (STATUS_DELETE_PENDING, as Windows and Samba
 * answer), on a handle without FILE_LIST_DIRECTORY, and past the per-session limit (issue 4).
 */
class NotifyDeletePendingAndLimitTest {
    private static final int LIST_DIRECTORY = 0x1;
    private static final int DELETE = 0x10000;
    private static final int READ_ATTRIBUTES = 0x80;
    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(share.resolve("d1"));
        Files.createDirectories(share.resolve("d2"));
        server = TestServers.startWithLimits(share, new SessionLimits(100, 100, 1));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawClient client() throws Exception {
        RawClient c = new RawClient(server.port());
        c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
        return c;
    }

    private static FileId openDirectory(RawClient c, String name, int access, int options) throws Exception {
        var r = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, access, 0, 7, Create.OPEN,
            Create.OPT_DIRECTORY_FILE | options, name, List.of()).encode(b));
        assertEquals(NtStatus.SUCCESS, r.status());
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
    }

    private static RawClient.Reply notify(RawClient c, FileId dir) throws Exception {
        return c.call(Smb2Command.CHANGE_NOTIFY, b -> new ChangeNotify.Request(0, 4096, dir,
            ChangeNotify.FILTER_FILE_NAME | ChangeNotify.FILTER_DIR_NAME).encode(b));
    }

    @Test
    void aWatchedDirectoryDeletedByAnotherClientAnswersDeletePending() throws Exception {
        try (RawClient watcher = client(); RawClient deleter = client()) {
            FileId watched = openDirectory(watcher, "d1", LIST_DIRECTORY, 0);
            assertEquals(NtStatus.PENDING, notify(watcher, watched).status());

            FileId doomed = openDirectory(deleter, "d1", DELETE, Create.OPT_DELETE_ON_CLOSE);
            assertEquals(NtStatus.SUCCESS,
                deleter.call(Smb2Command.CLOSE, b -> new Close.Request(0, doomed).encode(b)).status());

            assertEquals(NtStatus.DELETE_PENDING, watcher.receive().getFirst().status());
            assertEquals(NtStatus.DELETE_PENDING, notify(watcher, watched).status(), "and so does a later request");
            assertEquals(NtStatus.SUCCESS, watcher.call(Smb2Command.CLOSE, b -> new Close.Request(0, watched).encode(b))
                .status());
            assertEquals(false, Files.exists(share.resolve("d1")), "the last close deletes it");
        }
    }

    @Test
    void aHandleThatCannotListTheDirectoryMayNotWatchIt() throws Exception {
        try (RawClient c = client()) {
            FileId attributesOnly = openDirectory(c, "d1", READ_ATTRIBUTES, 0);
            assertEquals(NtStatus.ACCESS_DENIED, notify(c, attributesOnly).status());
        }
    }

    @Test
    void aSessionPastItsPendingNotifyLimitGetsInsufficientResourcesAndTheServerGoesOn() throws Exception {
        try (RawClient c = client()) {
            FileId d1 = openDirectory(c, "d1", LIST_DIRECTORY, 0);
            FileId d2 = openDirectory(c, "d2", LIST_DIRECTORY, 0);
            assertEquals(NtStatus.PENDING, notify(c, d1).status());
            assertEquals(NtStatus.INSUFFICIENT_RESOURCES, notify(c, d2).status());

            // closing d1 ends its notify (NOTIFY_CLEANUP) and gives the unit back
            c.sendChain(List.of(c.message(Smb2Command.CLOSE, 0, b -> new Close.Request(0, d1).encode(b))), true);
            c.receive();
            c.receive();
            assertEquals(NtStatus.PENDING, notify(c, d2).status());
            var echo = c.call(Smb2Command.ECHO, b -> b.writeShortLE(4).writeShortLE(0));
            assertEquals(NtStatus.SUCCESS, echo.status());
        }
    }
}
