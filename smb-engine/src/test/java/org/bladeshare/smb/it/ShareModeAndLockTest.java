package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Close;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Lock;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.smb2.Write;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Share modes ([MS-FSA] 2.1.5.1.2) and byte-range locks ([MS-SMB2] 3.3.5.14) between two clients. */
class ShareModeAndLockTest {
    private static final int READ_WRITE = 0x3;
    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(share.resolve("f.bin"), "0123456789abcdef");
        server = TestServers.start(share, List.of());
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

    private static RawClient.Reply open(RawClient c, String name, int shareAccess, int options) throws Exception {
        return c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x0013019F, 0, shareAccess, Create.OPEN,
            options, name, List.of()).encode(b));
    }

    private static FileId fileId(RawClient.Reply created) {
        return Create.Response.decode(created.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
    }

    private static java.util.function.Consumer<ByteBuf> lock(FileId id, long offset, long length, int flags) {
        return b -> new Lock.Request(0, id, List.of(new Lock.Element(offset, length, flags))).encode(b);
    }

    @Test
    void exclusiveOpenCausesSharingViolationUntilClosed() throws Exception {
        try (RawClient a = client(); RawClient b = client()) {
            var first = open(a, "f.bin", 0, 0);
            assertEquals(0, first.status());
            assertEquals(NtStatus.SHARING_VIOLATION, open(b, "f.bin", READ_WRITE, 0).status());
            a.call(Smb2Command.CLOSE, x -> new Close.Request(0, fileId(first)).encode(x));
            assertEquals(0, open(b, "f.bin", READ_WRITE, 0).status());
        }
    }

    @Test
    void deleteOnCloseWaitsForTheLastOpen() throws Exception {
        try (RawClient a = client(); RawClient b = client()) {
            var keeper = open(a, "f.bin", 0x7, 0);
            var deleter = open(b, "f.bin", 0x7, Create.OPT_DELETE_ON_CLOSE);
            assertEquals(0, deleter.status());
            b.call(Smb2Command.CLOSE, x -> new Close.Request(0, fileId(deleter)).encode(x));
            assertTrue(Files.exists(share.resolve("f.bin")), "another open still has the file");
            assertEquals(NtStatus.DELETE_PENDING, open(b, "f.bin", 0x7, 0).status());
            a.call(Smb2Command.CLOSE, x -> new Close.Request(0, fileId(keeper)).encode(x));
            assertTrue(Files.notExists(share.resolve("f.bin")), "deleted at the last close");
        }
    }

    @Test
    void locksConflictBlockAndAreGrantedOnUnlock() throws Exception {
        try (RawClient a = client(); RawClient b = client()) {
            FileId fa = fileId(open(a, "f.bin", 0x7, 0));
            FileId fb = fileId(open(b, "f.bin", 0x7, 0));
            assertEquals(0, a.call(Smb2Command.LOCK, lock(fa, 0, 8, Lock.EXCLUSIVE | Lock.FAIL_IMMEDIATELY)).status());
            assertEquals(NtStatus.LOCK_NOT_GRANTED,
                b.call(Smb2Command.LOCK, lock(fb, 4, 4, Lock.SHARED | Lock.FAIL_IMMEDIATELY)).status());
            var write = b.call(Smb2Command.WRITE, x -> new Write.Request(2, fb, 0, 0,
                io.netty.buffer.Unpooled.wrappedBuffer(new byte[]{1})).encode(x));
            assertEquals(NtStatus.FILE_LOCK_CONFLICT, write.status());

            long waitingId = b.nextMessageId;
            var interim = b.call(Smb2Command.LOCK, lock(fb, 4, 4, Lock.EXCLUSIVE));
            assertEquals(NtStatus.PENDING, interim.status(), "a blocking lock waits");
            assertEquals(0, a.call(Smb2Command.LOCK, lock(fa, 0, 8, Lock.UNLOCK)).status());
            var granted = b.receive().getFirst();
            assertEquals(0, granted.status(), "the unlock grants the waiting lock");
            assertEquals(waitingId, granted.header().messageId());
            assertEquals(NtStatus.RANGE_NOT_LOCKED, a.call(Smb2Command.LOCK, lock(fa, 0, 8, Lock.UNLOCK)).status());
        }
    }

    @Test
    void closingAnOpenReleasesItsLocks() throws Exception {
        try (RawClient a = client(); RawClient b = client()) {
            var ca = open(a, "f.bin", 0x7, 0);
            FileId fb = fileId(open(b, "f.bin", 0x7, 0));
            assertEquals(0, a.call(Smb2Command.LOCK, lock(fileId(ca), 0, 16, Lock.EXCLUSIVE | Lock.FAIL_IMMEDIATELY))
                .status());
            a.call(Smb2Command.CLOSE, x -> new Close.Request(0, fileId(ca)).encode(x));
            assertEquals(0, b.call(Smb2Command.LOCK, lock(fb, 0, 16, Lock.EXCLUSIVE | Lock.FAIL_IMMEDIATELY))
                .status());
        }
    }
}
