package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.fscc.InfoClass;
import org.bladeshare.smb.smb2.Close;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.QueryDirectory;
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
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compound chains, signature and credit enforcement, and a seeded fuzz of the request decoder. */
class ProtocolEdgeTest {
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

    private RawClient logOn() throws Exception {
        RawClient c = new RawClient(server.port());
        c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
        return c;
    }

    private static java.util.function.Consumer<ByteBuf> create(String name, int disposition) {
        return b -> new Create.Request(0, 0, 2, 0x12019F, 0, 7, disposition, 0, name, List.of()).encode(b);
    }

    @Test
    void relatedCompoundCreateQueryCloseUsesTheNewHandle() throws Exception {
        Files.writeString(share.resolve("c.txt"), "compound!");
        try (RawClient c = logOn()) {
            var chain = List.of(
                c.message(Smb2Command.CREATE, 0, create("c.txt", Create.OPEN)),
                c.message(Smb2Command.QUERY_INFO, Smb2Header.FLAG_RELATED, b -> new QueryInfo.Request(
                    QueryInfo.INFO_FILE, InfoClass.FILE_STANDARD_INFORMATION, 1024, new byte[0], 0, 0,
                    FileId.RELATED).encode(b)),
                c.message(Smb2Command.CLOSE, Smb2Header.FLAG_RELATED, b -> new Close.Request(0, FileId.RELATED)
                    .encode(b)));
            c.sendChain(chain, true);
            var replies = c.receive();
            assertEquals(3, replies.size(), "one response per request, in one frame");
            replies.forEach(r -> assertEquals(0, r.status(), Smb2Command.name(r.header().command())));
            ByteBuf info = QueryDirectory.decodeResponse(replies.get(1).message().duplicate()
                .readerIndex(Smb2Header.SIZE));
            assertEquals(9, info.getLongLE(8), "EndOfFile of c.txt");
            replies.forEach(r -> assertTrue(r.header().isSigned(), "every compound response is signed"));
        }
    }

    @Test
    void failedCreateFailsTheRelatedRequestsWithItsStatus() throws Exception {
        try (RawClient c = logOn()) {
            c.sendChain(List.of(
                c.message(Smb2Command.CREATE, 0, create("missing.txt", Create.OPEN)),
                c.message(Smb2Command.CLOSE, Smb2Header.FLAG_RELATED, b -> new Close.Request(0, FileId.RELATED)
                    .encode(b))), true);
            var replies = c.receive();
            assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, replies.get(0).status());
            assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, replies.get(1).status());
        }
    }

    private static java.util.function.Consumer<ByteBuf> close(FileId id) {
        return b -> new Close.Request(0, id).encode(b);
    }

    @Test
    void aFirstRequestMarkedRelatedIsInvalidAndSoAreTheRelatedOnesAfterIt() throws Exception {
        try (RawClient c = logOn()) {
            c.sendChain(List.of(
                c.message(Smb2Command.CREATE, Smb2Header.FLAG_RELATED, create("r.txt", Create.OPEN_IF)),
                c.message(Smb2Command.CLOSE, Smb2Header.FLAG_RELATED, close(FileId.RELATED))), true);
            var replies = c.receive();
            assertEquals(NtStatus.INVALID_PARAMETER, replies.get(0).status());
            assertEquals(NtStatus.INVALID_PARAMETER, replies.get(1).status());
            replies.forEach(r -> assertTrue(r.header().isSigned(), "refusals on a signed session are signed"));
            assertTrue(Files.notExists(share.resolve("r.txt")));
        }
    }

    @Test
    void anUnrelatedRequestEndsTheRelatedChainOfFiles() throws Exception {
        try (RawClient c = logOn()) {
            c.sendChain(List.of(
                c.message(Smb2Command.CREATE, 0, create("u.txt", Create.OPEN_IF)),
                c.message(Smb2Command.CLOSE, 0, close(FileId.RELATED)),
                c.message(Smb2Command.CLOSE, Smb2Header.FLAG_RELATED, close(FileId.RELATED))), true);
            var replies = c.receive();
            assertEquals(0, replies.get(0).status());
            assertEquals(NtStatus.FILE_CLOSED, replies.get(1).status(), "unrelated: the all-ones id names no file");
            assertEquals(NtStatus.FILE_CLOSED, replies.get(2).status(), "nothing left to relate to");
        }
    }

    @Test
    void anUnknownSessionInsideACompoundIsRefusedSignedAndBreaksTheRelatedChain() throws Exception {
        try (RawClient c = logOn()) {
            long real = c.sessionId;
            ByteBuf first = c.message(Smb2Command.CREATE, 0, create("s.txt", Create.OPEN_IF));
            c.sessionId = -1L;
            ByteBuf stranger = c.message(Smb2Command.CLOSE, 0, close(FileId.RELATED));
            ByteBuf after = c.message(Smb2Command.CLOSE, Smb2Header.FLAG_RELATED, close(FileId.RELATED));
            c.sessionId = real;
            c.sendChain(List.of(first, stranger, after), true);
            var replies = c.receive();
            assertEquals(0, replies.get(0).status());
            assertEquals(NtStatus.USER_SESSION_DELETED, replies.get(1).status());
            assertTrue(replies.get(1).header().isSigned(), "signed with the chain's session key");
            assertEquals(NtStatus.INVALID_PARAMETER, replies.get(2).status());
        }
    }

    @Test
    void tamperedAndMissingSignaturesAreRefused() throws Exception {
        try (RawClient c = logOn()) {
            ByteBuf echo = c.message(Smb2Command.CREATE, 0, create("x.txt", Create.OPEN_IF));
            c.sign(echo);
            echo.setByte(echo.writerIndex() - 1, echo.getByte(echo.writerIndex() - 1) ^ 1);
            c.sendRaw(RawClient.copy(echo));
            assertEquals(NtStatus.ACCESS_DENIED, c.receive().getFirst().status());
            c.sendChain(List.of(c.message(Smb2Command.CREATE, 0, create("x.txt", Create.OPEN_IF))), false);
            assertEquals(NtStatus.ACCESS_DENIED, c.receive().getFirst().status());
            assertTrue(Files.notExists(share.resolve("x.txt")), "refused requests did nothing");
        }
    }

    @Test
    void reusedMessageIdClosesTheConnection() throws Exception {
        try (RawClient c = logOn()) {
            c.nextMessageId -= 1;
            c.sendChain(List.of(c.message(Smb2Command.ECHO, 0, b -> b.writeShortLE(4).writeShortLE(0))), true);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void seededFuzzOfRequestsNeverBreaksTheServer() throws Exception {
        Random rnd = new Random(20261125);
        int[] commands = {Smb2Command.CREATE, Smb2Command.QUERY_DIRECTORY, Smb2Command.QUERY_INFO,
            Smb2Command.SET_INFO, Smb2Command.READ, Smb2Command.WRITE, Smb2Command.IOCTL, Smb2Command.TREE_CONNECT,
            Smb2Command.CLOSE, Smb2Command.LOCK, Smb2Command.SESSION_SETUP, Smb2Command.NEGOTIATE};
        for (int round = 0; round < 40; round++) {
            try (RawClient c = logOn()) {
                for (int i = 0; i < 25; i++) {
                    int command = commands[rnd.nextInt(commands.length)];
                    byte[] body = new byte[rnd.nextInt(200)];
                    rnd.nextBytes(body);
                    if (body.length >= 2) {
                        body[0] = (byte) rnd.nextInt(120); // plausible StructureSize half the time
                        body[1] = 0;
                    }
                    ByteBuf m = c.message(command, 0, b -> b.writeBytes(body));
                    c.sendChain(List.of(m), true);
                    try {
                        var reply = c.receive().getFirst();
                        assertEquals(command, reply.header().command());
                        assertTrue(reply.status() != NtStatus.INTERNAL_ERROR
                                && reply.status() != NtStatus.UNEXPECTED_IO_ERROR,
                            "garbage must be refused as such, not crash a handler: " + NtStatus.name(reply.status()));
                    } catch (java.io.EOFException | java.net.SocketException closed) {
                        break; // a protocol violation may end the connection; that is allowed
                    }
                }
            }
        }
        // The server still serves a well-behaved client afterwards.
        try (RawClient c = logOn()) {
            var r = c.call(Smb2Command.ECHO, b -> b.writeShortLE(4).writeShortLE(0));
            assertEquals(0, r.status());
        }
    }
}
