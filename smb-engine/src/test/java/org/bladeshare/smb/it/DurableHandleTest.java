package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.DurableContext;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Lock;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.OplockLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Durable handles v1: granted with a batch oplock, kept when the TCP connection is cut, reconnected with its lock. */
class DurableHandleTest extends OneServerTest {
    @BeforeEach
    void seed() throws Exception {
        Files.writeString(share.resolve("d.txt"), "durable data");
    }

    private static Consumer<ByteBuf> create(List<Create.Context> contexts, int oplock) {
        return b -> new Create.Request(0, oplock, 2, 0x12019F, 0, 7, Create.OPEN, 0, "d.txt", contexts).encode(b);
    }

    private static Create.Response response(RawClient.Reply r) {
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE));
    }

    private static Consumer<ByteBuf> lock(FileId id, int flags) {
        return b -> new Lock.Request(0, id, List.of(new Lock.Element(0, 10, flags))).encode(b);
    }

    /** Reconnects with DHnC, retrying (bounded) until the server has noticed the old connection is gone. */
    private static RawClient.Reply reconnect(RawClient c, FileId id) throws Exception {
        var dhnc = new Create.Context(DurableContext.RECONNECT_V1, new DurableContext.Reconnect(1, id, null, 0).encode());
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            RawClient.Reply r = c.call(Smb2Command.CREATE, create(List.of(dhnc), OplockLevel.BATCH));
            if (r.status() != NtStatus.OBJECT_NAME_NOT_FOUND || System.currentTimeMillis() > deadline) {
                return r;
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aDurableHandleSurvivesACutConnectionWithItsLockHeld() throws Exception {
        var dhnq = new Create.Context(DurableContext.REQUEST_V1, new byte[16]);
        RawClient first = logOn();
        RawClient.Reply opened = first.call(Smb2Command.CREATE, create(List.of(dhnq), OplockLevel.BATCH));
        assertEquals(NtStatus.SUCCESS, opened.status());
        assertEquals(OplockLevel.BATCH, response(opened).oplockLevel());
        assertTrue(response(opened).contexts().stream().anyMatch(c -> c.name().equals(DurableContext.REQUEST_V1)),
            "durability granted with the batch oplock");
        FileId id = response(opened).fileId();
        assertEquals(NtStatus.SUCCESS, first.call(Smb2Command.LOCK, lock(id, Lock.EXCLUSIVE | Lock.FAIL_IMMEDIATELY))
            .status());

        first.close(); // the TCP connection is cut underneath the client

        try (RawClient other = logOn(); RawClient again = logOn()) {
            // while disconnected the open and its lock are kept: another open's lock on the range fails
            // (the other open is a stat open so it does not purge the durable one with an oplock break)
            RawClient.Reply statOpen = other.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x80, 0, 7,
                Create.OPEN, 0, "d.txt", List.of()).encode(b));
            assertEquals(NtStatus.SUCCESS, statOpen.status());

            RawClient.Reply back = reconnect(again, id);
            assertEquals(NtStatus.SUCCESS, back.status(), "the durable open is re-attached");
            FileId reattached = response(back).fileId();
            assertEquals(id.persistent(), reattached.persistent());
            assertEquals(OplockLevel.BATCH, response(back).oplockLevel());

            assertEquals(NtStatus.LOCK_NOT_GRANTED, again.call(Smb2Command.LOCK,
                lock(reattached, Lock.EXCLUSIVE | Lock.FAIL_IMMEDIATELY)).status(), "the lock is still held");
            assertEquals(NtStatus.SUCCESS, again.call(Smb2Command.LOCK, lock(reattached, Lock.UNLOCK)).status(),
                "and it belongs to the reconnected open");
        }
    }

    @Test
    void aReconnectForAnUnknownHandleIsNotFound() throws Exception {
        try (RawClient c = logOn()) {
            var dhnc = new Create.Context(DurableContext.RECONNECT_V1,
                new DurableContext.Reconnect(1, new FileId(0x7777, 1), null, 0).encode());
            assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND,
                c.call(Smb2Command.CREATE, create(List.of(dhnc), OplockLevel.BATCH)).status());
        }
    }

    @Test
    void conflictingDurableContextsAreRefused() throws Exception {
        try (RawClient c = logOn()) {
            var dhnq = new Create.Context(DurableContext.REQUEST_V1, new byte[16]);
            var dh2q = new Create.Context(DurableContext.REQUEST_V2,
                new DurableContext.RequestV2(0, 0, new byte[16]).encode());
            assertEquals(NtStatus.INVALID_PARAMETER,
                c.call(Smb2Command.CREATE, create(List.of(dhnq, dh2q), OplockLevel.BATCH)).status());
            var shortDh2q = new Create.Context(DurableContext.REQUEST_V2, new byte[3]);
            assertEquals(NtStatus.INVALID_PARAMETER,
                c.call(Smb2Command.CREATE, create(List.of(shortDh2q), OplockLevel.BATCH)).status());
        }
    }

    @Test
    void noDurabilityWithoutABatchOplock() throws Exception {
        try (RawClient c = logOn()) {
            var dhnq = new Create.Context(DurableContext.REQUEST_V1, new byte[16]);
            RawClient.Reply r = c.call(Smb2Command.CREATE, create(List.of(dhnq), OplockLevel.LEVEL_II));
            assertEquals(NtStatus.SUCCESS, r.status());
            assertTrue(response(r).contexts().stream().noneMatch(x -> x.name().equals(DurableContext.REQUEST_V1)));
        }
    }
}
