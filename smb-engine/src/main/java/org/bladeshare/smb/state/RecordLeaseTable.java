package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link LeaseTable} over any {@link RecordStore}: one {@link Lease} per lease key; an absent lease is no record. */
public class RecordLeaseTable implements LeaseTable {
    private final RecordCodec<Optional<Lease>> records;

    public RecordLeaseTable(RecordStore store) {
        this.records = new RecordCodec<>(store, Optional.empty(), b -> Optional.of(Lease.decode(b)),
            l -> l.orElseThrow().encode(), l -> l.isEmpty() || l.get().holders().isEmpty());
    }

    @Override
    public LeaseGrant requestLease(LeaseRequest q) {
        if (q.version() != 1 && q.version() != 2) {
            throw new IllegalArgumentException("lease version must be 1 or 2");
        }
        return records.modify(q.key().key(), current -> {
            if (current.isEmpty()) {
                int state = LeaseState.grantable(q.requestedState() & q.allowedState());
                int epoch = q.version() == 2 ? q.clientEpoch() + 1 : 0;
                Lease l = new Lease(q.key(), q.file(), q.path(), q.version(), state, epoch, Lease.NOT_BREAKING, Lease.NOT_BREAKING, 0,
                    List.of(q.holder()));
                return Transition.of(Optional.of(l), new LeaseGrant(NtStatus.SUCCESS, l));
            }
            Lease l = current.get();
            if (!l.file().equals(q.file())) {
                return Transition.of(current, new LeaseGrant(NtStatus.INVALID_PARAMETER, l));
            }
            if (l.holders().size() >= Lease.MAX_HOLDERS) {
                return Transition.of(current, new LeaseGrant(NtStatus.INSUFFICIENT_RESOURCES, l));
            }
            // Samba's try_lease_upgrade: only to a strict superset, granted in full, never while breaking.
            int requested = q.requestedState();
            int granted = LeaseState.grantable(requested & q.allowedState());
            boolean upgrade = !l.isBreaking() && (l.state() & requested) == l.state() && granted == requested
                && granted != l.state();
            Lease next = upgrade
                ? l.with(granted, l.version() == 2 ? l.epoch() + 1 : l.epoch(), Lease.NOT_BREAKING, 0, l.holdersPlus(q.holder()))
                : l.withHolders(l.holdersPlus(q.holder()));
            return Transition.of(Optional.of(next), new LeaseGrant(NtStatus.SUCCESS, next));
        });
    }

    @Override
    public Optional<LeaseBreak> startBreak(LeaseKey key, int toState, long deadline) {
        return records.modify(key.key(), current -> {
            if (current.isEmpty()) {
                return Transition.of(current, Optional.<LeaseBreak>empty());
            }
            Lease l = current.get();
            if (l.isBreaking()) {
                return Transition.of(Optional.of(l.narrowedTo(toState)), Optional.<LeaseBreak>empty());
            }
            int target = l.state() & toState;
            if (target == l.state()) {
                return Transition.of(current, Optional.<LeaseBreak>empty());
            }
            int epoch = l.version() == 2 ? l.epoch() + 1 : l.epoch();
            boolean ack = LeaseRules.ackRequired(l.state());
            Lease next = ack ? l.with(l.state(), epoch, target, deadline, l.holders())
                : l.with(target, epoch, Lease.NOT_BREAKING, 0, l.holders());
            return Transition.of(Optional.of(next), Optional.of(
                new LeaseBreak(key, l.file(), l.state(), target, epoch, ack, deadline, l.breakAddress())));
        });
    }

    @Override
    public LeaseAck acknowledge(LeaseKey key, int state, long followUpDeadline) {
        return records.modify(key.key(), current -> {
            if (current.isEmpty()) {
                return Transition.of(current, LeaseAck.of(NtStatus.OBJECT_NAME_NOT_FOUND));
            }
            Lease l = current.get();
            int status = LeaseRules.checkAcknowledgement(l, state);
            if (status != NtStatus.SUCCESS) {
                return Transition.of(current, LeaseAck.of(status));
            }
            int required = l.breakingToRequired();
            if ((state & ~required) == 0) {
                return Transition.of(Optional.of(l.with(state, l.epoch(), Lease.NOT_BREAKING, 0, l.holders())),
                    LeaseAck.of(status));
            }
            // more was kept than the opens since the first notice allow: break again (same epoch, as Samba)
            boolean ack = LeaseRules.ackRequired(state);
            int to = ack ? required | LeaseState.R : required;
            Lease next = ack
                ? new Lease(l.key(), l.file(), l.path(), l.version(), state, l.epoch(), to, required,
                    followUpDeadline, l.holders())
                : l.with(to, l.epoch(), Lease.NOT_BREAKING, 0, l.holders());
            return Transition.of(Optional.of(next), new LeaseAck(status, Optional.of(new LeaseBreak(l.key(), l.file(),
                state, to, l.epoch(), ack, followUpDeadline, l.breakAddress()))));
        });
    }

    @Override
    public List<LeaseBreak> expireBreaks(long now) {
        List<LeaseBreak> out = new ArrayList<>();
        for (String key : records.keys()) {
            Optional<LeaseBreak> done = records.modify(key, current -> {
                if (current.isEmpty() || !current.get().isBreaking() || current.get().breakDeadline() > now) {
                    return Transition.of(current, Optional.<LeaseBreak>empty());
                }
                Lease l = current.get();
                return Transition.of(Optional.of(l.with(LeaseState.NONE, l.epoch(), Lease.NOT_BREAKING, 0,
                    l.holders())), Optional.of(new LeaseBreak(l.key(), l.file(), l.state(), LeaseState.NONE, l.epoch(),
                        true, l.breakDeadline(), l.breakAddress())));
            });
            done.ifPresent(out::add);
        }
        return out;
    }

    @Override
    public void releaseHolder(LeaseKey key, long openId) {
        records.modify(key.key(), current -> Transition.of(current.map(l -> l.withHolders(
            l.holders().stream().filter(h -> h.openId() != openId).toList())), null));
    }

    @Override
    public List<LeaseKey> removeOwners(OwnerFilter filter) {
        List<LeaseKey> removed = new ArrayList<>();
        for (String key : records.keys()) {
            Optional<LeaseKey> gone = records.modify(key, current -> {
                if (current.isEmpty()) {
                    return Transition.of(current, Optional.<LeaseKey>empty());
                }
                Lease l = current.get();
                List<OpenOwner> kept = l.holders().stream().filter(h -> !filter.matches(h)).toList();
                return Transition.of(Optional.of(l.withHolders(kept)),
                    kept.isEmpty() ? Optional.of(l.key()) : Optional.<LeaseKey>empty());
            });
            gone.ifPresent(removed::add);
        }
        return removed;
    }

    @Override
    public void reassignHolder(LeaseKey key, long openId, OpenOwner newOwner) {
        records.modify(key.key(), current -> Transition.of(current.map(l -> l.withHolders(
            l.holders().stream().map(h -> h.openId() == openId ? newOwner : h).toList())), null));
    }

    @Override
    public Optional<Lease> get(LeaseKey key) {
        return records.get(key.key());
    }
}
