package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.fscc.InfoClass;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.QueryInfo;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Re-authentication and reconnection with PreviousSessionId ([MS-SMB2] 3.3.5.5). */
class SessionReauthTest {
    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(share.resolve("f.txt"), "data");
        server = TestServers.start(share, List.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static FileId open(RawClient c) throws Exception {
        var r = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x12019F, 0, 7, Create.OPEN, 0, "f.txt",
            List.of()).encode(b));
        assertEquals(0, r.status());
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
    }

    private static int queryStandard(RawClient c, FileId id) throws Exception {
        return c.call(Smb2Command.QUERY_INFO, b -> new QueryInfo.Request(QueryInfo.INFO_FILE,
            InfoClass.FILE_STANDARD_INFORMATION, 1024, new byte[0], 0, 0, id).encode(b)).status();
    }

    @Test
    void reauthenticationKeepsTheSessionKeysAndItsOpens() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            FileId id = open(c);
            long sessionId = c.sessionId;
            // authenticate() checks the final response's signature with the unchanged session key.
            c.authenticate(TestServers.USER, TestServers.PASSWORD, 0);
            assertEquals(sessionId, c.sessionId, "same session");
            assertEquals(0, queryStandard(c, id), "the open survives, requests signed with the old key verify");
        }
    }

    @Test
    void aNewSessionNamingThePreviousOneLogsItOff() throws Exception {
        try (RawClient first = new RawClient(server.port()); RawClient second = new RawClient(server.port())) {
            first.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            FileId id = open(first);
            second.logOn(TestServers.USER, TestServers.PASSWORD, "public", first.sessionId);
            assertEquals(NtStatus.USER_SESSION_DELETED, queryStandard(first, id));
            assertEquals(0, queryStandard(second, open(second)), "the new session works");
        }
    }

    @Test
    void bindingIsValidatedThenRefusedWithASignedAnswer() throws Exception {
        try (RawClient first = new RawClient(server.port()); RawClient second = new RawClient(server.port())) {
            first.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            second.negotiate();
            var setup = org.bladeshare.smb.smb2.SessionSetup.FLAG_BINDING;
            second.sessionId = 0;
            var noId = second.call(Smb2Command.SESSION_SETUP, b -> new org.bladeshare.smb.smb2.SessionSetup.Request(
                setup, 1, 0, 0, new byte[0]).encode(b));
            assertEquals(NtStatus.INVALID_PARAMETER, noId.status());

            second.sessionId = first.sessionId + 1000;
            var unknown = second.call(Smb2Command.SESSION_SETUP, b -> new org.bladeshare.smb.smb2.SessionSetup
                .Request(setup, 1, 0, 0, new byte[0]).encode(b));
            assertEquals(NtStatus.USER_SESSION_DELETED, unknown.status());

            // Signed with the session's key, as a binding client does; SMB 2.1 cannot bind.
            second.sessionId = first.sessionId;
            second.signingKey = first.signingKey;
            var refused = second.call(Smb2Command.SESSION_SETUP, b -> new org.bladeshare.smb.smb2.SessionSetup
                .Request(setup, 1, 0, 0, new byte[0]).encode(b));
            assertEquals(NtStatus.REQUEST_NOT_ACCEPTED, refused.status());
            org.junit.jupiter.api.Assertions.assertTrue(refused.header().isSigned()
                && org.bladeshare.smb.transport.Smb2Signing.verify(
                    org.bladeshare.smb.transport.SigningAlgorithm.HMAC_SHA256, first.signingKey,
                    refused.message().duplicate()), "the refusal is signed with the session's key");
            assertEquals(0, queryStandard(first, open(first)), "the session is untouched");
        }
    }

    @Test
    void aFailedReauthenticationEndsTheSession() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            FileId id = open(c);
            var failed = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> c.authenticate(TestServers.USER, TestServers.PASSWORD + "corrupt", 0));
            org.junit.jupiter.api.Assertions.assertTrue(failed.getMessage().contains("c000006d"),
                failed.getMessage());
            var after = c.call(Smb2Command.QUERY_INFO, b -> new QueryInfo.Request(QueryInfo.INFO_FILE,
                InfoClass.FILE_STANDARD_INFORMATION, 1024, new byte[0], 0, 0, id).encode(b));
            assertEquals(NtStatus.USER_SESSION_DELETED, after.status());
            org.junit.jupiter.api.Assertions.assertTrue(after.header().isSigned(),
                "signed, so a client that requires signing believes it");
        }
    }
}
