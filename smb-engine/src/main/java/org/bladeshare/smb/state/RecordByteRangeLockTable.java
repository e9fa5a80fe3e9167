package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ByteRangeLockTable} over any {@link RecordStore}: one {@link LockRecord} per file. */
public class RecordByteRangeLockTable implements ByteRangeLockTable {
    private final RecordCodec<LockRecord> records;

    public RecordByteRangeLockTable(RecordStore store) {
        this.records = new RecordCodec<>(store, LockRecord.EMPTY, LockRecord::decode, LockRecord::encode,
            LockRecord::isEmpty);
    }

    @Override
    public LockResult lock(FileKey file, OpenOwner owner, List<LockRequest> requests, Optional<Long> asyncId) {
        List<LockRequest> copy = List.copyOf(requests);
        return records.modify(file.key(), r -> r.lock(owner, copy, asyncId.orElse(null)));
    }

    @Override
    public UnlockResult unlock(FileKey file, OpenOwner owner, List<LockRange> ranges) {
        List<LockRange> copy = List.copyOf(ranges);
        return records.modify(file.key(), r -> r.unlock(file, owner, copy));
    }

    @Override
    public int checkIo(FileKey file, long openId, long offset, long length, boolean write) {
        LockRecord r = records.get(file.key());
        return LockRules.checkIo(r.locks(), openId, new LockRange(offset, length), write);
    }

    @Override
    public Optional<LockWaiter> cancel(FileKey file, int node, long connectionId, long asyncId) {
        return records.modify(file.key(), r -> r.cancel(file, node, connectionId, asyncId)).stream().findFirst();
    }

    @Override
    public UnlockResult releaseOpen(FileKey file, long openId) {
        return records.modify(file.key(), r -> r.release(file, o -> o.openId() == openId));
    }

    @Override
    public UnlockResult releaseOwners(OwnerFilter filter) {
        List<LockWaiter> granted = new ArrayList<>();
        List<LockWaiter> dropped = new ArrayList<>();
        for (String key : records.keys()) {
            FileKey.fromKey(key).ifPresent(file -> {
                UnlockResult u = records.modify(key, r -> r.release(file, filter::matches));
                granted.addAll(u.granted());
                dropped.addAll(u.dropped());
            });
        }
        return new UnlockResult(NtStatus.SUCCESS, granted, dropped);
    }

    @Override
    public int reassignOpen(FileKey file, long openId, OpenOwner newOwner) {
        if (newOwner.openId() != openId) {
            throw new IllegalArgumentException("a reassigned open keeps its open id");
        }
        return records.modify(file.key(), r -> r.reassign(openId, newOwner));
    }

    @Override
    public LockRecord get(FileKey file) {
        return records.get(file.key());
    }
}
