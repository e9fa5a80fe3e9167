package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.fscc.FileAttributes;
import org.bladeshare.smb.fscc.InfoClass;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.QueryInfo;
import org.bladeshare.smb.smb2.SetInfo;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.LeaseContext;
import org.bladeshare.smb.smb2.OplockBreakMessage;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.LeaseState;
import org.bladeshare.smb.state.OplockLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMB 2.1 leases between two connections: grant, key shared across opens, break and acknowledgement. */
class LeaseBreakTest extends OneServerTest {
    private static final int RWH = LeaseState.R | LeaseState.W | LeaseState.H;

    @BeforeEach
    void seed() throws Exception {
        Files.writeString(share.resolve("l.txt"), "leased");
    }

    private static byte[] key(int n) {
        byte[] k = new byte[16];
        Arrays.fill(k, (byte) n);
        return k;
    }

    private static Consumer<ByteBuf> openLeased(byte[] key, int state) {
        return openLeased(key, state, 0x12019F);
    }

    private static Consumer<ByteBuf> openLeased(byte[] key, int state, int access) {
        var ctx = new Create.Context(LeaseContext.NAME, new LeaseContext(1, key, state, 0, null, 0).encode());
        return b -> new Create.Request(0, OplockLevel.LEASE, 2, access, 0, 7, Create.OPEN, 0, "l.txt",
            List.of(ctx)).encode(b);
    }

    private static Consumer<ByteBuf> openPlain(String name, int disposition, int attributes) {
        return b -> new Create.Request(0, OplockLevel.NONE, 2, 0x12019F, attributes, 7, disposition, 0, name,
            List.of()).encode(b);
    }

    private static Create.Response created(RawClient.Reply r) {
        assertEquals(NtStatus.SUCCESS, r.status());
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE));
    }

    private static OplockBreakMessage.LeaseNotification leaseBreak(RawClient c) throws Exception {
        RawClient.Reply notice = c.receive().getFirst();
        assertEquals(Smb2Command.OPLOCK_BREAK, notice.header().command());
        return OplockBreakMessage.LeaseNotification.decode(notice.message().duplicate().readerIndex(Smb2Header.SIZE));
    }

    private static RawClient.Reply acknowledge(RawClient c, byte[] key, int state) throws Exception {
        return c.call(Smb2Command.OPLOCK_BREAK, body -> new OplockBreakMessage.LeaseAck(0, key, state).encode(body));
    }

    private static LeaseContext grantedLease(RawClient.Reply r) {
        var resp = Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE));
        assertEquals(OplockLevel.LEASE, resp.oplockLevel());
        var ctx = resp.contexts().stream().filter(c -> c.name().equals(LeaseContext.NAME)).findFirst().orElse(null);
        assertNotNull(ctx, "the response carries the lease");
        return LeaseContext.decode(ctx.data());
    }

    @Test
    void aSecondLeaseBreaksTheFirstToReadHandleAfterItsAcknowledgement() throws Exception {
        try (RawClient a = logOn(); RawClient b = logOn()) {
            LeaseContext first = grantedLease(a.call(Smb2Command.CREATE, openLeased(key(1), RWH)));
            assertEquals(RWH, first.state());
            assertArrayEquals(key(1), first.leaseKey());

            // the same key on another open of the same client shares the lease: no break
            assertEquals(RWH, grantedLease(a.call(Smb2Command.CREATE, openLeased(key(1), RWH))).state());

            RawClient.Reply interim = b.call(Smb2Command.CREATE, openLeased(key(2), RWH));
            assertEquals(NtStatus.PENDING, interim.status());

            RawClient.Reply notice = a.receive().getFirst();
            assertEquals(Smb2Command.OPLOCK_BREAK, notice.header().command());
            var brk = OplockBreakMessage.LeaseNotification.decode(
                notice.message().duplicate().readerIndex(Smb2Header.SIZE));
            assertArrayEquals(key(1), brk.leaseKey());
            assertEquals(RWH, brk.currentState());
            assertEquals(LeaseState.R | LeaseState.H, brk.newState());
            assertEquals(OplockBreakMessage.LEASE_FLAG_ACK_REQUIRED, brk.flags());

            RawClient.Reply ack = a.call(Smb2Command.OPLOCK_BREAK,
                body -> new OplockBreakMessage.LeaseAck(0, key(1), LeaseState.R | LeaseState.H).encode(body));
            assertEquals(NtStatus.SUCCESS, ack.status());

            RawClient.Reply done = b.receive().getFirst();
            assertEquals(NtStatus.SUCCESS, done.status());
            assertEquals(LeaseState.R | LeaseState.H, grantedLease(done).state(), "both now share read+handle");

            RawClient.Reply again = a.call(Smb2Command.OPLOCK_BREAK,
                body -> new OplockBreakMessage.LeaseAck(0, key(1), LeaseState.R).encode(body));
            assertEquals(org.bladeshare.smb.state.StateStatus.UNSUCCESSFUL, again.status(), "no break is in progress");
        }
    }

    @Test
    void aLeaseKeyCannotCoverTwoFiles() throws Exception {
        Files.writeString(share.resolve("other.txt"), "x");
        try (RawClient a = logOn()) {
            grantedLease(a.call(Smb2Command.CREATE, openLeased(key(3), RWH)));
            var ctx = new Create.Context(LeaseContext.NAME, new LeaseContext(1, key(3), RWH, 0, null, 0).encode());
            RawClient.Reply r = a.call(Smb2Command.CREATE, b -> new Create.Request(0, OplockLevel.LEASE, 2, 0x12019F, 0,
                7, Create.OPEN, 0, "other.txt", List.of(ctx)).encode(b));
            assertEquals(NtStatus.INVALID_PARAMETER, r.status());
        }
    }

    @Test
    void anAcknowledgementKeepingMoreThanLaterOpensAllowIsBrokenAgainInSteps() throws Exception {
        try (RawClient a = logOn(); RawClient b = logOn()) {
            assertEquals(RWH, grantedLease(a.call(Smb2Command.CREATE, openLeased(key(1), RWH))).state());
            assertEquals(NtStatus.PENDING, b.call(Smb2Command.CREATE, openPlain("l.txt", Create.OPEN, 0)).status());
            var first = leaseBreak(a);
            assertEquals(LeaseState.R | LeaseState.H, first.newState());

            // an overwrite meanwhile needs everything, but the break under way is not notified again
            assertEquals(NtStatus.PENDING, b.call(Smb2Command.CREATE, openPlain("l.txt", Create.OVERWRITE, 0)).status());
            assertEquals(NtStatus.SUCCESS, acknowledge(a, key(1), LeaseState.R | LeaseState.H).status());

            var second = leaseBreak(a);
            assertEquals(LeaseState.R | LeaseState.H, second.currentState());
            assertEquals(LeaseState.R, second.newState(), "first down to read caching");
            assertEquals(OplockBreakMessage.LEASE_FLAG_ACK_REQUIRED, second.flags());
            assertEquals(NtStatus.SUCCESS, acknowledge(a, key(1), LeaseState.R).status());

            var last = leaseBreak(a);
            assertEquals(LeaseState.NONE, last.newState());
            assertEquals(0, last.flags(), "read caching alone goes without an acknowledgement");
            assertEquals(NtStatus.SUCCESS, b.receive().getFirst().status());
            assertEquals(NtStatus.SUCCESS, b.receive().getFirst().status());
        }
    }

    @Test
    void aRenameWaitsUntilOtherLeasesGiveUpHandleCaching() throws Exception {
        int readHandle = LeaseState.R | LeaseState.H;
        try (RawClient a = logOn(); RawClient b = logOn()) {
            FileId renamer = created(a.call(Smb2Command.CREATE, openLeased(key(1), readHandle, 0x13019F))).fileId();
            assertEquals(readHandle, grantedLease(b.call(Smb2Command.CREATE, openLeased(key(2), readHandle))).state());

            assertEquals(NtStatus.PENDING, a.call(Smb2Command.SET_INFO, rename(renamer, "m.txt")).status());
            var notice = leaseBreak(b);
            assertArrayEquals(key(2), notice.leaseKey());
            assertEquals(LeaseState.R, notice.newState());
            assertTrue(Files.exists(share.resolve("l.txt")), "not renamed before the acknowledgement");

            assertEquals(NtStatus.SUCCESS, acknowledge(b, key(2), LeaseState.R).status());
            assertEquals(NtStatus.SUCCESS, a.receive().getFirst().status());
            assertTrue(Files.exists(share.resolve("m.txt")));
            assertFalse(Files.exists(share.resolve("l.txt")));
        }
    }

    @Test
    void aRenameIntoADirectoryOpenForDeleteIsASharingViolation() throws Exception {
        Files.createDirectory(share.resolve("d"));
        try (RawClient a = logOn()) {
            created(a.call(Smb2Command.CREATE, b -> new Create.Request(0, OplockLevel.NONE, 2, 0x1F01FF, 0, 7,
                Create.OPEN, Create.OPT_DIRECTORY_FILE, "d", List.of()).encode(b)));
            FileId file = created(a.call(Smb2Command.CREATE, openLeased(key(1), RWH, 0x13019F))).fileId();
            assertEquals(NtStatus.SHARING_VIOLATION, a.call(Smb2Command.SET_INFO, rename(file, "d\\x.txt")).status());
            assertTrue(Files.exists(share.resolve("l.txt")));
        }
    }

    @Test
    void anOverwrittenFileIsMarkedForArchivingEvenWhenAskedForNormal() throws Exception {
        try (RawClient a = logOn()) {
            var r = created(a.call(Smb2Command.CREATE, openPlain("l.txt", Create.OVERWRITE_IF, FileAttributes.NORMAL)));
            assertEquals(Create.ACTION_OVERWRITTEN, r.createAction());
            assertEquals(FileAttributes.ARCHIVE, r.fileAttributes());
        }
    }

    /** SET_INFO FileRenameInformation ([MS-FSCC] 2.4.37.2), replacing an existing target. */
    private static Consumer<ByteBuf> rename(FileId file, String target) {
        byte[] name = target.getBytes(StandardCharsets.UTF_16LE);
        byte[] info = ByteBuffer.allocate(20 + name.length).order(ByteOrder.LITTLE_ENDIAN).put((byte) 1)
            .put(new byte[7]).putLong(0).putInt(name.length).put(name).array();
        return b -> new SetInfo.Request(QueryInfo.INFO_FILE, InfoClass.FILE_RENAME_INFORMATION, info, 0, file).encode(b);
    }

    @Test
    void aDeleteOnCloseOpenWaitsForOtherLeasesToGiveUpHandleCaching() throws Exception {
        int readHandle = LeaseState.R | LeaseState.H;
        try (RawClient a = logOn(); RawClient b = logOn()) {
            assertEquals(readHandle, grantedLease(a.call(Smb2Command.CREATE, openLeased(key(1), readHandle))).state());
            RawClient.Reply interim = b.call(Smb2Command.CREATE, body -> new Create.Request(0, OplockLevel.NONE, 2,
                0x00010000, 0, 7, Create.OPEN, Create.OPT_DELETE_ON_CLOSE, "l.txt", List.of()).encode(body));
            assertEquals(NtStatus.PENDING, interim.status());
            var notice = leaseBreak(a);
            assertEquals(readHandle, notice.currentState());
            assertEquals(LeaseState.R, notice.newState(), "the holder is asked to close the handles it keeps");
            assertEquals(OplockBreakMessage.LEASE_FLAG_ACK_REQUIRED, notice.flags());
            assertEquals(NtStatus.SUCCESS, acknowledge(a, key(1), LeaseState.R).status());
            assertEquals(NtStatus.SUCCESS, b.receive().getFirst().status());
        }
    }
}
