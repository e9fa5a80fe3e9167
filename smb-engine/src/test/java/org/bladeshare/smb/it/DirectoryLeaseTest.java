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

/** Directory leases on SMB 3.0 ([MS-SMB2] 3.3.5.9.11): read+handle at most, broken when the entries change. */
class DirectoryLeaseTest extends OneServerTest {
    private static final int RH = LeaseState.R | LeaseState.H;

    @BeforeEach
    void seed() throws Exception {
        Files.createDirectory(share.resolve("d"));
    }

    private static byte[] key(int n) {
        byte[] k = new byte[16];
        Arrays.fill(k, (byte) n);
        return k;
    }

    /** CREATE with a v2 lease context; {@code parent} (or null) is the ParentLeaseKey. */
    private static Consumer<ByteBuf> open(String name, int disposition, int options, byte[] key, byte[] parent) {
        int flags = parent == null ? 0 : LeaseContext.FLAG_PARENT_LEASE_KEY_SET;
        var ctx = new Create.Context(LeaseContext.NAME, new LeaseContext(2, key,
            LeaseState.R | LeaseState.H | LeaseState.W, flags, parent == null ? new byte[16] : parent, 0).encode());
        return b -> new Create.Request(0, OplockLevel.LEASE, 2, 0x12019F, 0, 7, disposition, options, name,
            List.of(ctx)).encode(b);
    }

    private static LeaseContext lease(RawClient.Reply r) {
        assertEquals(NtStatus.SUCCESS, r.status());
        var resp = Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE));
        assertEquals(OplockLevel.LEASE, resp.oplockLevel());
        var ctx = resp.contexts().stream().filter(c -> c.name().equals(LeaseContext.NAME)).findFirst().orElse(null);
        assertNotNull(ctx, "the response carries the lease");
        return LeaseContext.decode(ctx.data());
    }

    @Test
    void aDirectoryLeaseIsReadHandleAndBreaksWhenAnotherClientAddsAnEntry() throws Exception {
        try (RawClient a = logOnSmb30(); RawClient b = logOnSmb30()) {
            LeaseContext dir = lease(a.call(Smb2Command.CREATE, open("d", Create.OPEN, Create.OPT_DIRECTORY_FILE,
                key(2), null)));
            assertEquals(2, dir.version());
            assertEquals(RH, dir.state(), "no write caching on a directory");

            lease(b.call(Smb2Command.CREATE, open("d\\new.txt", Create.CREATE, 0, key(9), null)));
            RawClient.Reply notice = a.receive().getFirst();
            assertEquals(Smb2Command.OPLOCK_BREAK, notice.header().command());
            var brk = OplockBreakMessage.LeaseNotification.decode(
                notice.message().duplicate().readerIndex(Smb2Header.SIZE));
            assertArrayEquals(key(2), brk.leaseKey());
            assertEquals(RH, brk.currentState());
            assertEquals(LeaseState.NONE, brk.newState());
            assertEquals(dir.epoch() + 1, brk.newEpoch());
            RawClient.Reply ack = a.call(Smb2Command.OPLOCK_BREAK,
                body -> new OplockBreakMessage.LeaseAck(0, key(2), LeaseState.NONE).encode(body));
            assertEquals(NtStatus.SUCCESS, ack.status());
        }
    }

    @Test
    void anEntryMadeUnderTheDirectorysOwnLeaseKeyBreaksNothing() throws Exception {
        try (RawClient a = logOnSmb30()) {
            assertEquals(RH, lease(a.call(Smb2Command.CREATE, open("d", Create.OPEN, Create.OPT_DIRECTORY_FILE,
                key(2), null))).state());
            // a break for this connection would be sent before the CREATE's answer
            RawClient.Reply r = a.call(Smb2Command.CREATE, open("d\\mine.txt", Create.CREATE, 0, key(3), key(2)));
            assertEquals(Smb2Command.CREATE, r.header().command());
            LeaseContext file = lease(r);
            assertEquals(LeaseContext.FLAG_PARENT_LEASE_KEY_SET, file.flags());
            assertEquals(LeaseState.R | LeaseState.H | LeaseState.W, file.state());

            RawClient.Reply other = a.call(Smb2Command.CREATE, open("d\\other.txt", Create.CREATE, 0, key(4), null));
            assertEquals(Smb2Command.OPLOCK_BREAK, other.header().command(), "an entry under another key breaks it");
        }
    }
}
