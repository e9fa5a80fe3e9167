package org.bladeshare.smb.it;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msfscc.FileNotifyAction;
import com.hierynomus.mssmb2.SMB2CompletionFilter;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.share.DiskShare;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.ChangeNotify;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CHANGE_NOTIFY goes asynchronous ([MS-SMB2] 3.3.4.2), completes on a change, or is cancelled. */
class AsyncNotifyTest {
    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(share.resolve("watched"));
        server = TestServers.start(share, List.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void smbjSeesAFileCreatedOnDisk() throws Exception {
        try (SMBClient client = new SMBClient(); var conn = client.connect("127.0.0.1", server.port())) {
            var session = conn.authenticate(new AuthenticationContext(TestServers.USER,
                TestServers.PASSWORD.toCharArray(), "WORKGROUP"));
            try (DiskShare disk = (DiskShare) session.connectShare("public");
                 var dir = disk.openDirectory("watched", EnumSet.of(AccessMask.GENERIC_READ), null,
                     SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, null)) {
                var future = dir.watchAsync(EnumSet.of(SMB2CompletionFilter.FILE_NOTIFY_CHANGE_FILE_NAME), false);
                // The server serves a connection's requests in order: once a later request is answered,
                // the watch is in place.
                disk.list("watched");
                Files.writeString(share.resolve("watched/new.txt"), "hello");
                var response = future.get(20, TimeUnit.SECONDS);
                var names = response.getFileNotifyInfoList().stream()
                    .filter(i -> i.getAction() == FileNotifyAction.FILE_ACTION_ADDED).map(i -> i.getFileName()).toList();
                assertEquals(List.of("new.txt"), names);
            }
        }
    }

    private static ByteBuf cancel(RawClient c, long messageId, long asyncId) {
        ByteBuf m = Unpooled.buffer();
        new Smb2Header(0, 0, Smb2Command.CANCEL, 0, Smb2Header.FLAG_ASYNC, 0, messageId, asyncId, 0, c.sessionId,
            null).encode(m);
        m.writeShortLE(4).writeShortLE(0);
        return m;
    }

    @Test
    void cancelAnswersThePendingNotifyWithCancelled() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            var created = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x1, 0, 7, Create.OPEN,
                Create.OPT_DIRECTORY_FILE, "watched", List.of()).encode(b));
            assertEquals(0, created.status());
            var fileId = Create.Response.decode(created.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
            long notifyId = c.nextMessageId;
            var interim = c.call(Smb2Command.CHANGE_NOTIFY, b -> new ChangeNotify.Request(0, 4096, fileId,
                ChangeNotify.FILTER_FILE_NAME).encode(b));
            assertEquals(NtStatus.PENDING, interim.status());
            assertTrue(interim.header().isAsync());
            assertNotEquals(0, interim.header().asyncId());
            assertTrue(interim.header().credits() > 0, "the interim response grants the credits");

            c.sendChain(List.of(cancel(c, notifyId, interim.header().asyncId())), true);
            var finalReply = c.receive().getFirst();
            assertEquals(NtStatus.CANCELLED, finalReply.status());
            assertEquals(notifyId, finalReply.header().messageId());
            assertEquals(interim.header().asyncId(), finalReply.header().asyncId());
            assertTrue(finalReply.header().isSigned(), "the final response is signed like any other");

            // The connection goes on working after the cancellation.
            var echo = c.call(Smb2Command.ECHO, b -> b.writeShortLE(4).writeShortLE(0));
            assertEquals(0, echo.status());
        }
    }

    @Test
    void closingTheDirectoryCompletesThePendingNotifyWithCleanup() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            var created = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x1, 0, 7, Create.OPEN,
                Create.OPT_DIRECTORY_FILE, "watched", List.of()).encode(b));
            var fileId = Create.Response.decode(created.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
            var interim = c.call(Smb2Command.CHANGE_NOTIFY, b -> new ChangeNotify.Request(0, 4096, fileId,
                ChangeNotify.FILTER_FILE_NAME).encode(b));
            assertEquals(NtStatus.PENDING, interim.status());
            c.sendChain(List.of(c.message(Smb2Command.CLOSE, 0, b -> new org.bladeshare.smb.smb2.Close.Request(0,
                fileId).encode(b))), true);
            var statuses = new java.util.ArrayList<Integer>();
            statuses.add(c.receive().getFirst().status());
            statuses.add(c.receive().getFirst().status());
            assertTrue(statuses.contains(NtStatus.NOTIFY_CLEANUP), statuses.toString());
            assertTrue(statuses.contains(NtStatus.SUCCESS), statuses.toString());
        }
    }

    @Test
    void notifyInTheMiddleOfACompoundIsRefusedNotLeftPending() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            var chain = List.of(
                c.message(Smb2Command.CREATE, 0, b -> new Create.Request(0, 0, 2, 0x1F01FF, 0x10, 7, Create.OPEN,
                    Create.OPT_DIRECTORY_FILE, "watched", List.of()).encode(b)),
                c.message(Smb2Command.CHANGE_NOTIFY, Smb2Header.FLAG_RELATED, b -> new ChangeNotify.Request(1, 4096,
                    org.bladeshare.smb.smb2.FileId.RELATED, ChangeNotify.FILTER_FILE_NAME).encode(b)),
                c.message(Smb2Command.QUERY_INFO, Smb2Header.FLAG_RELATED, b -> new org.bladeshare.smb.smb2.QueryInfo
                    .Request(org.bladeshare.smb.smb2.QueryInfo.INFO_FILE,
                    org.bladeshare.smb.fscc.InfoClass.FILE_BASIC_INFORMATION, 4096, new byte[0], 0, 0,
                    org.bladeshare.smb.smb2.FileId.RELATED).encode(b)));
            c.sendChain(chain, true);
            var replies = c.receive();
            assertEquals(3, replies.size(), "every request of the chain answered in the one frame");
            assertEquals(0, replies.get(0).status());
            assertEquals(NtStatus.INTERNAL_ERROR, replies.get(1).status(), "only the last request may go async");
            assertTrue(!replies.get(1).header().isAsync());
            assertEquals(0, replies.get(2).status());
            // Nothing is left pending: the next answer on the wire is the ECHO's.
            var echo = c.call(Smb2Command.ECHO, b -> b.writeShortLE(4).writeShortLE(0));
            assertEquals(Smb2Command.ECHO, echo.header().command());
            assertEquals(0, echo.status());
        }
    }
}
