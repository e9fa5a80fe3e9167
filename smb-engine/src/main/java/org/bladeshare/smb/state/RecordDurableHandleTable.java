package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link DurableHandleTable} over any {@link RecordStore}: one {@link DurableHandle} per key. */
public class RecordDurableHandleTable implements DurableHandleTable {
    private final RecordCodec<Optional<DurableHandle>> records;

    public RecordDurableHandleTable(RecordStore store) {
        this.records = new RecordCodec<>(store, Optional.empty(), b -> Optional.of(DurableHandle.decode(b)),
            h -> h.orElseThrow().encode(), Optional::isEmpty);
    }

    @Override
    public int register(DurableHandle handle) {
        return records.modify(handle.key().key(), current -> current.isPresent()
            ? Transition.of(current, StateStatus.DUPLICATE_OBJECTID)
            : Transition.of(Optional.of(handle), NtStatus.SUCCESS));
    }

    @Override
    public ReplayCheck checkReplay(UUID createGuid, UUID clientGuid, String user, boolean replayFlag) {
        DurableHandle h = records.get(DurableKey.v2(0, createGuid).key()).orElse(null);
        return DurableRules.checkReplay(h, clientGuid, user, replayFlag);
    }

    @Override
    public ReconnectResult reconnect(ReconnectRequest q) {
        return records.modify(q.key().key(), current -> {
            DurableHandle h = current.orElse(null);
            int status = DurableRules.checkReconnect(h, q);
            if (status == NtStatus.SUCCESS) {
                DurableHandle attached = h.attach(q.newOwner());
                return Transition.of(Optional.of(attached), new ReconnectResult(status, attached, null));
            }
            if (h != null && h.isExpired(q.now())) {
                return Transition.of(Optional.empty(), new ReconnectResult(status, null, h));
            }
            return Transition.of(current, new ReconnectResult(status, null, null));
        });
    }

    @Override
    public Optional<DurableHandle> disconnect(DurableKey key, long now) {
        return records.modify(key.key(), current -> {
            if (current.isEmpty() || !current.get().isConnected()) {
                return Transition.of(current, current);
            }
            Optional<DurableHandle> next = Optional.of(current.get().detach(now));
            return Transition.of(next, next);
        });
    }

    @Override
    public List<DurableHandle> disconnectOwners(OwnerFilter filter, long now) {
        List<DurableHandle> out = new ArrayList<>();
        for (String key : records.keys()) {
            Optional<DurableHandle> detached = records.modify(key, current -> {
                if (current.isEmpty() || !current.get().isConnected() || !filter.matches(current.get().owner())) {
                    return Transition.of(current, Optional.<DurableHandle>empty());
                }
                Optional<DurableHandle> next = Optional.of(current.get().detach(now));
                return Transition.of(next, next);
            });
            detached.ifPresent(out::add);
        }
        return out;
    }

    @Override
    public List<DurableHandle> expire(long now) {
        List<DurableHandle> out = new ArrayList<>();
        for (String key : records.keys()) {
            Optional<DurableHandle> gone = records.modify(key, current ->
                current.isPresent() && current.get().isExpired(now)
                    ? Transition.of(Optional.<DurableHandle>empty(), current)
                    : Transition.of(current, Optional.<DurableHandle>empty()));
            gone.ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<DurableHandle> remove(DurableKey key) {
        return records.modify(key.key(), current -> Transition.of(Optional.<DurableHandle>empty(), current));
    }

    @Override
    public Optional<DurableHandle> get(DurableKey key) {
        return records.get(key.key());
    }
}
