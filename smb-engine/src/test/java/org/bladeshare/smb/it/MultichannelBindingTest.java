package org.bladeshare.smb.it;

import io.netty.buffer.ByteBufUtil;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.auth.Ntlmssp;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.LeaseContext;
import org.bladeshare.smb.smb2.OplockBreakMessage;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Negotiate;
import org.bladeshare.smb.smb2.Read;
import org.bladeshare.smb.smb2.SessionSetup;
import org.bladeshare.smb.smb2.SimpleMessage;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.LeaseState;
import org.bladeshare.smb.state.OplockLevel;
import org.bladeshare.smb.transport.SigningAlgorithm;
import org.bladeshare.smb.transport.Smb2Signing;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multichannel: a second connection bound to a session ([MS-SMB2] 3.3.5.5.2) reaches the
 * session's opens, signs with its own channel key, and shares the session's fate.
 */
class MultichannelBindingTest extends OneServerTest {
    private static final String CONTENT = "written before the second channel existed";
    private static final List<Integer> SMB3 = List.of(0x0300, 0x0302);

    @BeforeEach
    void file() throws Exception {
        Files.writeString(share.resolve("f.txt"), CONTENT);
    }

    /** A connection negotiated at SMB 3.0.2 offering multichannel. */
    private RawClient smb3Connection() throws Exception {
        RawClient c = new RawClient(server.port());
        c.negotiate(SMB3, Negotiate.CAP_MULTI_CHANNEL);
        return c;
    }

    private RawClient smb3LogOn() throws Exception {
        RawClient c = smb3Connection();
        c.authenticate(TestServers.USER, TestServers.PASSWORD, 0);
        c.connectTree("public");
        return c;
    }

    private static FileId open(RawClient c) throws Exception {
        var r = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x12019F, 0, 7, Create.OPEN, 0, "f.txt",
            List.of()).encode(b));
        assertEquals(0, r.status());
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
    }

    private static RawClient.Reply read(RawClient c, FileId id) throws Exception {
        return c.call(Smb2Command.READ, b -> new Read.Request(0, 4096, 0, id, 0, 0).encode(b));
    }

    private static String data(RawClient.Reply read) {
        var m = read.message();
        int offset = m.getUnsignedByte(Smb2Header.SIZE + 2);
        int length = m.getIntLE(Smb2Header.SIZE + 4);
        return new String(ByteBufUtil.getBytes(m, offset, length), StandardCharsets.UTF_8);
    }

    @Test
    void aSecondChannelReadsTheFileTheFirstChannelOpened() throws Exception {
        try (RawClient first = smb3LogOn(); RawClient second = smb3Connection()) {
            assertTrue((second.serverCapabilities & Negotiate.CAP_MULTI_CHANNEL) != 0, "multichannel offered");
            FileId id = open(first);

            second.bind(first, TestServers.USER, TestServers.PASSWORD); // checks the answer's channel signature
            assertEquals(first.sessionId, second.sessionId);
            assertFalse(Arrays.equals(first.signingKey, second.signingKey), "each channel has its own key");

            RawClient.Reply read = read(second, id);
            assertEquals(0, read.status());
            assertEquals(CONTENT, data(read));
            assertTrue(Smb2Signing.verify(SigningAlgorithm.AES_CMAC, second.signingKey, read.message().duplicate()),
                "answered with the channel's key");
            assertEquals(0, read(first, id).status(), "the first channel goes on working");
        }
    }

    @Test
    void theBoundChannelRefusesRequestsSignedWithTheFirstChannelsKey() throws Exception {
        try (RawClient first = smb3LogOn(); RawClient second = smb3Connection()) {
            FileId id = open(first);
            second.bind(first, TestServers.USER, TestServers.PASSWORD);
            byte[] channelKey = second.signingKey;
            second.signingKey = first.signingKey;
            assertEquals(NtStatus.ACCESS_DENIED, read(second, id).status());
            second.signingKey = channelKey;
            assertEquals(0, read(second, id).status());
        }
    }

    @Test
    void aWronglySignedBindingRequestIsRefusedAndBindsNothing() throws Exception {
        try (RawClient first = smb3LogOn(); RawClient second = smb3Connection()) {
            FileId id = open(first);
            second.sessionId = first.sessionId;
            second.treeId = first.treeId;
            second.signingKey = first.signingKey.clone();
            second.signingKey[0] ^= 1;
            var refused = second.call(Smb2Command.SESSION_SETUP, b -> new SessionSetup.Request(
                SessionSetup.FLAG_BINDING, 1, 0, 0, ntlmNegotiate()).encode(b));
            // [MS-SMB2] 3.3.5.2.4: a signature that does not verify is STATUS_ACCESS_DENIED, as Windows answers
            assertEquals(NtStatus.ACCESS_DENIED, refused.status());

            assertEquals(NtStatus.USER_SESSION_DELETED, read(second, id).status(), "the connection is not bound");
            RawClient.Reply stillThere = read(first, id);
            assertEquals(0, stillThere.status());
            assertEquals(CONTENT, data(stillThere));
        }
    }

    @Test
    void aLogoffOnTheBoundChannelEndsTheSessionOnBoth() throws Exception {
        try (RawClient first = smb3LogOn(); RawClient second = smb3Connection()) {
            FileId id = open(first);
            second.bind(first, TestServers.USER, TestServers.PASSWORD);
            assertEquals(0, second.call(Smb2Command.LOGOFF, SimpleMessage::encode).status());
            assertEquals(NtStatus.USER_SESSION_DELETED, read(first, id).status());
            assertEquals(NtStatus.USER_SESSION_DELETED, read(second, id).status());
        }
    }

    @Test
    void aBindingWithAWrongPasswordFailsAndTheSessionLivesOn() throws Exception {
        try (RawClient first = smb3LogOn(); RawClient second = smb3Connection()) {
            FileId id = open(first);
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> second.bind(first, TestServers.USER, TestServers.PASSWORD + "wrong"));
            assertTrue(e.getMessage().contains(Integer.toHexString(NtStatus.LOGON_FAILURE)), e.getMessage());
            assertNotEquals(0, read(second, id).status(), "not bound");
            assertEquals(0, read(first, id).status(), "a failed binding leaves the session alone");
        }
    }

    @Test
    void theSessionOutlivesTheConnectionThatCreatedIt() throws Exception {
        Files.writeString(share.resolve("marker.txt"), "held by another session of the first connection");
        try (RawClient second = smb3Connection()) {
            FileId id;
            RawClient first = smb3LogOn();
            try {
                id = open(first);
                second.bind(first, TestServers.USER, TestServers.PASSWORD);
                // A second session, on the first connection only, holds marker.txt exclusively: its
                // release shows that the server has dealt with the first connection's loss.
                first.sessionId = 0;
                first.signingKey = null;
                first.authenticate(TestServers.USER, TestServers.PASSWORD, 0);
                first.connectTree("public");
                assertEquals(0, createMarker(first));
            } finally {
                first.close();
            }
            int status = NtStatus.SHARING_VIOLATION;
            for (int i = 0; i < 500 && status == NtStatus.SHARING_VIOLATION; i++) {
                Thread.sleep(10); // polling the condition: the first connection's session ended
                status = createMarker(second);
            }
            assertEquals(0, status, "the first connection's own session ended with it");
            RawClient.Reply read = read(second, id);
            assertEquals(0, read.status(), "the bound session and its open live on the second channel");
            assertEquals(CONTENT, data(read));
        }
    }

    /** CREATE marker.txt sharing nothing; the open is left open. */
    private static int createMarker(RawClient c) throws Exception {
        return c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x12019F, 0, 0, Create.OPEN, 0,
            "marker.txt", List.of()).encode(b)).status();
    }

    @Test
    void anAbandonedBindingDoesNotKeepTheSessionAlive() throws Exception {
        Files.writeString(share.resolve("marker.txt"), "held exclusively by the first connection");
        try (RawClient third = smb3LogOn()) {
            try (RawClient first = smb3LogOn(); RawClient second = smb3Connection()) {
                assertEquals(0, createMarker(first));
                second.sessionId = first.sessionId;
                second.signingKey = first.signingKey;
                var leg1 = second.call(Smb2Command.SESSION_SETUP, b -> new SessionSetup.Request(
                    SessionSetup.FLAG_BINDING, 1, 0, 0, ntlmNegotiate()).encode(b));
                assertEquals(NtStatus.MORE_PROCESSING_REQUIRED, leg1.status(), "binding under way");
            } // both connections go: the half-bound one first, then the session's only channel
            int status = NtStatus.SHARING_VIOLATION;
            for (int i = 0; i < 500 && status == NtStatus.SHARING_VIOLATION; i++) {
                Thread.sleep(10); // polling the condition: the session ended and its open closed
                status = createMarker(third);
            }
            assertEquals(0, status, "the session ended with its last bound channel");
        }
    }

    private static byte[] ntlmNegotiate() {
        return new Ntlmssp.Negotiate(Ntlmssp.NEGOTIATE_UNICODE | Ntlmssp.NEGOTIATE_NTLM
            | Ntlmssp.NEGOTIATE_EXTENDED_SESSIONSECURITY | Ntlmssp.NEGOTIATE_KEY_EXCH | Ntlmssp.NEGOTIATE_128
            | Ntlmssp.NEGOTIATE_SIGN).encode();
    }

    /**
     * [MS-SMB2] 3.3.4.6: a break goes to any channel of the open's session. The connection that
     * opened the file with a batch oplock is cut, either before another client's open causes the
     * break, or after the break went out on it and lay there unread; either way the break must
     * reach the session's remaining channel (and not wait out the 35 s break timeout).
     */
    @ParameterizedTest(name = "break caused after the opening channel is gone: {0}")
    @ValueSource(booleans = {true, false})
    void anOplockBreakReachesTheSessionsOtherChannelWhenTheOpeningConnectionIsGone(boolean breakAfterTheLoss)
        throws Exception {
        try (RawClient second = smb3Connection(); RawClient other = smb3LogOn()) {
            FileId held;
            try (RawClient first = smb3LogOn()) {
                held = openWithBatchOplock(first);
                second.bind(first, TestServers.USER, TestServers.PASSWORD);
                if (!breakAfterTheLoss) {
                    sendOpen(other);
                    assertTrue(first.awaitUnread(), "the break goes out on the opening channel"); // and stays unread
                }
            } // the opening connection is gone; the session lives on through the second channel
            if (breakAfterTheLoss) {
                sendOpen(other);
            }
            var notice = second.receive().getFirst();
            assertEquals(Smb2Command.OPLOCK_BREAK, notice.header().command(), "the break arrives on the bound channel");
            acknowledgeAndAwaitTheOpen(second, held, other);
        }
    }

    /**
     * [MS-SMB2] 3.3.4.7: a lease break goes to a connection of the lease's client. A multichannel
     * client (one ClientGuid on both connections) holds a lease through its older connection, which
     * it closes with the break notice unread; the notice must come again on its other channel.
     */
    @Test
    void aLeaseBreakLeftUnreadOnALostChannelComesAgainOnTheOtherOne() throws Exception {
        byte[] key = new byte[16];
        Arrays.fill(key, (byte) 7);
        int rwh = LeaseState.R | LeaseState.W | LeaseState.H;
        UUID client = UUID.randomUUID();
        RawClient first = new RawClient(server.port());
        first.clientGuid = client;
        first.negotiate(SMB3, Negotiate.CAP_MULTI_CHANNEL | Negotiate.CAP_LEASING);
        first.authenticate(TestServers.USER, TestServers.PASSWORD, 0);
        first.connectTree("public");
        try (RawClient second = new RawClient(server.port()); RawClient other = smb3LogOn()) {
            try {
                second.clientGuid = client;
                second.negotiate(SMB3, Negotiate.CAP_MULTI_CHANNEL | Negotiate.CAP_LEASING);
                var lease = new Create.Context(LeaseContext.NAME, new LeaseContext(1, key, rwh, 0, null, 0).encode());
                var r = first.call(Smb2Command.CREATE, b -> new Create.Request(0, OplockLevel.LEASE, 2, 0x12019F, 0, 7,
                    Create.OPEN, 0, "f.txt", List.of(lease)).encode(b));
                assertEquals(0, r.status());
                second.bind(first, TestServers.USER, TestServers.PASSWORD);
                sendOpen(other);
                assertTrue(first.awaitUnread(), "the break goes to the client's oldest connection"); // and stays unread
            } finally {
                first.close();
            }
            RawClient.Reply notice = second.receive().getFirst();
            assertEquals(Smb2Command.OPLOCK_BREAK, notice.header().command(), "the lease break comes again on the other channel");
            var brk = OplockBreakMessage.LeaseNotification.decode(notice.message().duplicate().readerIndex(Smb2Header.SIZE));
            assertArrayEquals(key, brk.leaseKey());
            assertEquals(rwh, brk.currentState());
            assertEquals(LeaseState.R | LeaseState.H, brk.newState(), "another client's open of the file takes away write caching");
            assertEquals(NtStatus.SUCCESS, second.call(Smb2Command.OPLOCK_BREAK,
                b -> new OplockBreakMessage.LeaseAck(0, key, LeaseState.R | LeaseState.H).encode(b)).status());
            RawClient.Reply opened = other.receive().getFirst();
            while (opened.status() == NtStatus.PENDING) {
                opened = other.receive().getFirst();
            }
            assertEquals(NtStatus.SUCCESS, opened.status(), "the other client's open completes once the break is acknowledged");
        }
    }

    /** CREATE f.txt with a batch oplock, which the server grants (nobody else has it open). */
    private static FileId openWithBatchOplock(RawClient c) throws Exception {
        var r = c.call(Smb2Command.CREATE, b -> new Create.Request(0, org.bladeshare.smb.state.OplockLevel.BATCH,
            2, 0x12019F, 0, 7, Create.OPEN, 0, "f.txt", List.of()).encode(b));
        assertEquals(0, r.status());
        var created = Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE));
        assertEquals(org.bladeshare.smb.state.OplockLevel.BATCH, created.oplockLevel());
        return created.fileId();
    }

    /** Sends another client's CREATE of f.txt, which must break the batch oplock before it completes. */
    private static void sendOpen(RawClient other) throws Exception {
        other.sendChain(List.of(other.message(Smb2Command.CREATE, 0, b -> new Create.Request(0, 0, 2, 0x12019F, 0, 7,
            Create.OPEN, 0, "f.txt", List.of()).encode(b))), true);
    }

    /** Acknowledges the break to level II on {@code channel}; the other client's CREATE then succeeds. */
    private static void acknowledgeAndAwaitTheOpen(RawClient channel, FileId held, RawClient other) throws Exception {
        channel.call(Smb2Command.OPLOCK_BREAK, b -> new org.bladeshare.smb.smb2.OplockBreakMessage.Oplock(
            org.bladeshare.smb.state.OplockLevel.LEVEL_II, held).encode(b));
        RawClient.Reply opened = other.receive().getFirst();
        while (opened.status() == NtStatus.PENDING) {
            opened = other.receive().getFirst(); // the interim answer, then the final one
        }
        assertEquals(NtStatus.SUCCESS, opened.status(), "the other client's open completes once the break is acknowledged");
    }
}
