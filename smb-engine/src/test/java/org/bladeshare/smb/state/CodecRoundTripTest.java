package org.bladeshare.smb.state;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static org.bladeshare.smb.state.StateAssertions.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every stored value round-trips through bytes, and damaged bytes give a clear error, never a crash. */
class CodecRoundTripTest {
    private static final LeaseKey LEASE = new LeaseKey(UUID.randomUUID(), UUID.randomUUID());
    private static final FileKey FILE = new FileKey(0xFFFF_0000_1234L, -7L);

    private static ShareModeRecord shareModes() {
        return new ShareModeRecord(true, List.of(
            OpenEntry.of(owner(1, 1), 0x12019F, ShareAccess.READ).withOplock(OplockLevel.BATCH)
                .breaking(OplockLevel.LEVEL_II, 123_456L),
            OpenEntry.of(owner(2, Long.MAX_VALUE), 0x80, 0).withLease(LEASE).withDeleteOnClose(true)));
    }

    private static LockRecord locks() {
        return new LockRecord(
            List.of(new HeldLock(owner(1, 1), new LockRange(-10L, 10), true), new HeldLock(owner(2, 2), new LockRange(0, 0), false)),
            List.of(new PendingLock(owner(3, 3), 99, List.of(LockRequest.exclusive(5, 5), LockRequest.shared(100, 1)))));
    }

    private static Lease lease() {
        return new Lease(LEASE, FILE, "dir/ünïcode.txt", 2, LeaseState.R | LeaseState.H, 17, LeaseState.R, LeaseState.NONE, 5_000,
            List.of(owner(1, 1), owner(2, 2)));
    }

    private static DurableHandle durable(DurableKey key, LeaseKey lease, OpenOwner owner, long at) {
        return new DurableHandle(key, UUID.randomUUID(), "BLADE\\alice", FILE, "a/b.txt", 0x1F01FF, ShareAccess.ALL,
            lease == null ? OplockLevel.BATCH : OplockLevel.LEASE, lease, 60_000, owner, at);
    }

    private static <T> void roundTrip(T value, Function<T, byte[]> encode, Function<byte[], T> decode) {
        byte[] bytes = encode.apply(value);
        assertEquals(value, decode.apply(bytes));
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThrows(StateCodecException.class, () -> decode.apply(cut), "truncated to " + len + " bytes");
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(StateCodecException.class, () -> decode.apply(longer), "trailing byte");
    }

    @Test
    void shareModeRecord() {
        roundTrip(shareModes(), ShareModeRecord::encode, ShareModeRecord::decode);
        roundTrip(ShareModeRecord.EMPTY, ShareModeRecord::encode, ShareModeRecord::decode);
    }

    @Test
    void lockRecord() {
        roundTrip(locks(), LockRecord::encode, LockRecord::decode);
    }

    @Test
    void leaseRecord() {
        roundTrip(lease(), Lease::encode, Lease::decode);
    }

    @Test
    void durableHandles() {
        roundTrip(durable(DurableKey.v2(42, UUID.randomUUID()), LEASE, null, 9_999), DurableHandle::encode,
            DurableHandle::decode);
        roundTrip(durable(DurableKey.v1(42), null, new OpenOwner(1, 2, 3, 42), 0), DurableHandle::encode,
            DurableHandle::decode);
    }

    @Test
    void smallValues() {
        roundTrip(FILE, FileKey::encode, FileKey::decode);
        roundTrip(owner(7, -1), OpenOwner::encode, OpenOwner::decode);
        roundTrip(OwnerFilter.connection(3, 4), OwnerFilter::encode, OwnerFilter::decode);
        roundTrip(new OwnerFilter(3, 4L, 5L, 6L), OwnerFilter::encode, OwnerFilter::decode);
        roundTrip(new BusMessage("smb.break", 2, 77, new byte[] {1, 2, 3}), BusMessage::encode, BusMessage::decode);
    }

    @Test
    void fileKeyRecordKeyParsesBack() {
        assertEquals(Optional.of(FILE), FileKey.fromKey(FILE.key()));
        assertEquals(Optional.empty(), FileKey.fromKey("l:whatever"));
        assertEquals(Optional.empty(), FileKey.fromKey("f:zz00000000000000000000000000000000"));
        assertEquals(Optional.empty(), FileKey.fromKey(null));
    }

    @Test
    void unknownVersionIsRefused() {
        byte[] b = shareModes().encode();
        b[0] = 9;
        StateCodecException e = assertThrows(StateCodecException.class, () -> ShareModeRecord.decode(b));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
    }

    @Test
    void hugeCountIsRefusedWithoutAllocating() {
        byte[] b = {1, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThrows(StateCodecException.class, () -> ShareModeRecord.decode(b));
        assertThrows(StateCodecException.class, () -> ShareModeRecord.decode(null));
    }

    @Test
    void inconsistentEntryIsACodecError() {
        byte[] b = shareModes().encode();
        // The first entry's oplock level byte: version, pending, count, owner (28), access, share, doc.
        int oplockAt = 1 + 1 + 4 + 28 + 4 + 4 + 1;
        assertEquals(OplockLevel.BATCH, b[oplockAt]);
        b[oplockAt] = 0x42;
        assertThrows(StateCodecException.class, () -> ShareModeRecord.decode(b));
    }
}
