package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.LeaseContext;
import org.bladeshare.smb.smb2.OplockBreakMessage;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.LeaseState;
import org.bladeshare.smb.state.OplockLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
        var ctx = new Create.Context(LeaseContext.NAME, new LeaseContext(1, key, state, 0, null, 0).encode());
        return b -> new Create.Request(0, OplockLevel.LEASE, 2, 0x12019F, 0, 7, Create.OPEN, 0, "l.txt",
            List.of(ctx)).encode(b);
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
}
