package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Close;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.DurableContext;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Lock;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.OplockLevel;
import org.bladeshare.smb.state.SessionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Blocking locks of a closed open, lock sequence replay ([MS-SMB2] 3.3.5.14) and the per-session
 * limits on waiting locks and open files (issue 4), over a server whose session limits are small.
 */
class LockReplayAndLimitsTest {
    private static final int MAX_PENDING_LOCKS = 2;
    private static final int MAX_OPENS = 100;
    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(share.resolve("f.bin"), "0123456789abcdef");
        server = TestServers.startWithLimits(share, new SessionLimits(MAX_OPENS, MAX_PENDING_LOCKS, 100));
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

    private static FileId open(RawClient c, int oplock, List<Create.Context> contexts) throws Exception {
        var r = c.call(Smb2Command.CREATE, b -> new Create.Request(0, oplock, 2, 0x0013019F, 0, 7, Create.OPEN, 0,
            "f.bin", contexts).encode(b));
        assertEquals(NtStatus.SUCCESS, r.status());
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
    }

    private static Consumer<ByteBuf> lock(int sequence, FileId id, long offset, int flags) {
        return b -> new Lock.Request(sequence, id, List.of(new Lock.Element(offset, 1, flags))).encode(b);
    }

    private static final int EXCLUSIVE_NOW = Lock.EXCLUSIVE | Lock.FAIL_IMMEDIATELY;

    @Test
    void closingAnOpenAnswersItsWaitingLockWithRangeNotLocked() throws Exception {
        try (RawClient a = client(); RawClient b = client()) {
            FileId fa = open(a, 0, List.of());
            FileId fb = open(b, 0, List.of());
            assertEquals(NtStatus.SUCCESS, a.call(Smb2Command.LOCK, lock(0, fa, 0, EXCLUSIVE_NOW)).status());
            long waiting = b.nextMessageId;
            assertEquals(NtStatus.PENDING, b.call(Smb2Command.LOCK, lock(0, fb, 0, Lock.EXCLUSIVE)).status());

            b.sendChain(List.of(b.message(Smb2Command.CLOSE, 0, x -> new Close.Request(0, fb).encode(x))), true);
            var replies = new java.util.ArrayList<RawClient.Reply>();
            for (int i = 0; i < 2; i++) {
                replies.addAll(b.receive());
            }
            var lockReply = replies.stream().filter(r -> r.header().messageId() == waiting).findFirst().orElseThrow();
            assertEquals(NtStatus.RANGE_NOT_LOCKED, lockReply.status(), "as Samba answers a lock its close ended");
        }
    }

    @Test
    void aReplayedLockOnADurableOpenSucceedsWithoutBeingAppliedTwice() throws Exception {
        try (RawClient a = client()) {
            var dhnq = new Create.Context(DurableContext.REQUEST_V1, new byte[16]);
            FileId durable = open(a, OplockLevel.BATCH, List.of(dhnq));
            int bucket1seq1 = 0x10 + 1;
            assertEquals(NtStatus.SUCCESS, a.call(Smb2Command.LOCK, lock(bucket1seq1, durable, 0, EXCLUSIVE_NOW)).status());
            assertEquals(NtStatus.SUCCESS, a.call(Smb2Command.LOCK, lock(bucket1seq1, durable, 0, EXCLUSIVE_NOW)).status(),
                "the replay is recognised");
            assertEquals(NtStatus.LOCK_NOT_GRANTED,
                a.call(Smb2Command.LOCK, lock(0x10 + 2, durable, 0, EXCLUSIVE_NOW)).status(), "a new sequence number is applied");
            assertEquals(NtStatus.SUCCESS, a.call(Smb2Command.LOCK, lock(0, durable, 0, Lock.UNLOCK)).status());
            assertEquals(NtStatus.RANGE_NOT_LOCKED, a.call(Smb2Command.LOCK, lock(0, durable, 0, Lock.UNLOCK)).status(),
                "the replay took no second lock (bucket 0 is not tracked)");
        }
    }

    @Test
    void aPlainOpenOnSmb21IsNotCheckedForReplays() throws Exception {
        try (RawClient a = client()) {
            FileId plain = open(a, 0, List.of());
            assertEquals(NtStatus.SUCCESS, a.call(Smb2Command.LOCK, lock(0x11, plain, 0, EXCLUSIVE_NOW)).status());
            assertEquals(NtStatus.LOCK_NOT_GRANTED, a.call(Smb2Command.LOCK, lock(0x11, plain, 0, EXCLUSIVE_NOW)).status());
        }
    }

    @Test
    void aSessionPastItsPendingLockLimitGetsInsufficientResourcesAndTheServerGoesOn() throws Exception {
        try (RawClient a = client(); RawClient b = client()) {
            FileId fa = open(a, 0, List.of());
            FileId fb = open(b, 0, List.of());
            for (int i = 0; i <= MAX_PENDING_LOCKS; i++) {
                assertEquals(NtStatus.SUCCESS, a.call(Smb2Command.LOCK, lock(0, fa, i, EXCLUSIVE_NOW)).status());
            }
            for (int i = 0; i < MAX_PENDING_LOCKS; i++) {
                assertEquals(NtStatus.PENDING, b.call(Smb2Command.LOCK, lock(0, fb, i, Lock.EXCLUSIVE)).status());
            }
            assertEquals(NtStatus.INSUFFICIENT_RESOURCES,
                b.call(Smb2Command.LOCK, lock(0, fb, MAX_PENDING_LOCKS, Lock.EXCLUSIVE)).status());

            // a granted waiter gives its unit back: the refused lock can now wait
            assertEquals(NtStatus.SUCCESS, a.call(Smb2Command.LOCK, lock(0, fa, 0, Lock.UNLOCK)).status());
            assertEquals(NtStatus.SUCCESS, b.receive().getFirst().status());
            assertEquals(NtStatus.PENDING, b.call(Smb2Command.LOCK, lock(0, fb, MAX_PENDING_LOCKS, Lock.EXCLUSIVE)).status());
            assertEquals(NtStatus.SUCCESS, a.call(Smb2Command.LOCK, lock(0, fa, MAX_PENDING_LOCKS, Lock.UNLOCK)).status());
            assertEquals(NtStatus.SUCCESS, b.receive().getFirst().status());
        }
    }

    @Test
    void aSessionPastItsOpenFileLimitGetsInsufficientResourcesUntilItClosesOne() throws Exception {
        try (RawClient a = client(); RawClient b = client()) {
            List<FileId> held = new java.util.ArrayList<>();
            for (int i = 0; i < MAX_OPENS; i++) {
                held.add(open(a, 0, List.of()));
            }
            var refused = a.call(Smb2Command.CREATE, b2 -> new Create.Request(0, 0, 2, 0x0013019F, 0, 7, Create.OPEN, 0,
                "f.bin", List.of()).encode(b2));
            assertEquals(NtStatus.INSUFFICIENT_RESOURCES, refused.status(), "open number " + (MAX_OPENS + 1));
            open(b, 0, List.of()); // another session is not held back by this one

            var closed = a.call(Smb2Command.CLOSE, c -> new Close.Request(0, held.getFirst()).encode(c));
            assertEquals(NtStatus.SUCCESS, closed.status());
            open(a, 0, List.of()); // a freed slot is usable again
        }
    }
}
