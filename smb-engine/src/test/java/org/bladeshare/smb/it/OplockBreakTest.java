package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Close;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.OplockBreakMessage;
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

/** Oplocks between two client connections: grant, break notification, acknowledgement, waiting CREATE. */
class OplockBreakTest extends OneServerTest {
    private static final int READ_WRITE = 0x12019F;

    @BeforeEach
    void seed() throws Exception {
        Files.writeString(share.resolve("f.txt"), "oplocked");
    }

    private static Consumer<ByteBuf> open(String name, int oplock) {
        return b -> new Create.Request(0, oplock, 2, READ_WRITE, 0, 7, Create.OPEN, 0, name, List.of()).encode(b);
    }

    private static Create.Response createResponse(RawClient.Reply r) {
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE));
    }

    private static OplockBreakMessage.Oplock oplockBody(RawClient.Reply r) {
        return OplockBreakMessage.Oplock.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE));
    }

    @Test
    void secondOpenWaitsForTheBatchOplockBreakAndItsAcknowledgement() throws Exception {
        try (RawClient holder = logOn(); RawClient other = logOn()) {
            RawClient.Reply first = holder.call(Smb2Command.CREATE, open("f.txt", OplockLevel.BATCH));
            assertEquals(NtStatus.SUCCESS, first.status());
            FileId held = createResponse(first).fileId();
            assertEquals(OplockLevel.BATCH, createResponse(first).oplockLevel());

            RawClient.Reply interim = other.call(Smb2Command.CREATE, open("f.txt", OplockLevel.NONE));
            assertEquals(NtStatus.PENDING, interim.status(), "the second open waits for the break");
            assertTrue(interim.header().isAsync());

            RawClient.Reply notice = holder.receive().getFirst();
            assertEquals(Smb2Command.OPLOCK_BREAK, notice.header().command());
            assertEquals(OplockBreakMessage.NOTIFICATION_MESSAGE_ID, notice.header().messageId());
            assertEquals(held, oplockBody(notice).fileId());
            assertEquals(OplockLevel.LEVEL_II, oplockBody(notice).level());

            RawClient.Reply ack = holder.call(Smb2Command.OPLOCK_BREAK,
                b -> new OplockBreakMessage.Oplock(OplockLevel.LEVEL_II, held).encode(b));
            assertEquals(NtStatus.SUCCESS, ack.status());
            assertEquals(OplockLevel.LEVEL_II, oplockBody(ack).level());

            RawClient.Reply done = other.receive().getFirst();
            assertEquals(NtStatus.SUCCESS, done.status(), "the waiting open completes after the acknowledgement");
            assertEquals(interim.header().asyncId(), done.header().asyncId());
            assertEquals(Create.ACTION_OPENED, createResponse(done).createAction());

            RawClient.Reply again = holder.call(Smb2Command.OPLOCK_BREAK,
                b -> new OplockBreakMessage.Oplock(OplockLevel.NONE, held).encode(b));
            assertEquals(NtStatus.INVALID_OPLOCK_PROTOCOL, again.status(), "no break is in progress any more");
        }
    }

    @Test
    void closingTheHolderLetsTheWaitingOpenProceed() throws Exception {
        try (RawClient holder = logOn(); RawClient other = logOn()) {
            FileId held = createResponse(holder.call(Smb2Command.CREATE, open("f.txt", OplockLevel.EXCLUSIVE))).fileId();
            RawClient.Reply interim = other.call(Smb2Command.CREATE, open("f.txt", OplockLevel.BATCH));
            assertEquals(NtStatus.PENDING, interim.status());
            assertEquals(Smb2Command.OPLOCK_BREAK, holder.receive().getFirst().header().command());

            assertEquals(NtStatus.SUCCESS, holder.call(Smb2Command.CLOSE,
                b -> new Close.Request(0, held).encode(b)).status());
            RawClient.Reply done = other.receive().getFirst();
            assertEquals(NtStatus.SUCCESS, done.status());
            assertEquals(OplockLevel.BATCH, createResponse(done).oplockLevel(), "alone now, it gets the batch oplock");
        }
    }

    @Test
    void aWriteBreaksOtherLevelTwoOplocksToNoneWithoutAcknowledgement() throws Exception {
        try (RawClient a = logOn(); RawClient b = logOn()) {
            FileId fa = createResponse(a.call(Smb2Command.CREATE, open("f.txt", OplockLevel.LEVEL_II))).fileId();
            RawClient.Reply rb = b.call(Smb2Command.CREATE, open("f.txt", OplockLevel.LEVEL_II));
            assertEquals(OplockLevel.LEVEL_II, createResponse(rb).oplockLevel());
            FileId fb = createResponse(rb).fileId();
            RawClient.Reply w = b.call(Smb2Command.WRITE, body -> new org.bladeshare.smb.smb2.Write.Request(0, fb, 0, 0,
                io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {1, 2, 3})).encode(body));
            assertEquals(NtStatus.SUCCESS, w.status());
            RawClient.Reply notice = a.receive().getFirst();
            assertEquals(Smb2Command.OPLOCK_BREAK, notice.header().command());
            assertEquals(fa, oplockBody(notice).fileId());
            assertEquals(OplockLevel.NONE, oplockBody(notice).level());
        }
    }
}
