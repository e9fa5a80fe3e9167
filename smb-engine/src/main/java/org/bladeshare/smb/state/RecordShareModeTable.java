package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ShareModeTable} over any {@link RecordStore}: one {@link ShareModeRecord} per file. */
public class RecordShareModeTable implements ShareModeTable {
    private final RecordCodec<ShareModeRecord> records;

    public RecordShareModeTable(RecordStore store) {
        this.records = new RecordCodec<>(store, ShareModeRecord.EMPTY, ShareModeRecord::decode,
            ShareModeRecord::encode, ShareModeRecord::isEmpty);
    }

    @Override
    public OpenResult tryAddOpen(FileKey file, OpenEntry open) {
        return records.modify(file.key(), r -> r.add(open));
    }

    @Override
    public CloseResult removeOpen(FileKey file, long openId) {
        return records.modify(file.key(), r -> r.remove(openId));
    }

    @Override
    public int setDeleteOnClose(FileKey file, long openId, boolean deleteOnClose) {
        return records.modify(file.key(), r -> r.replace(openId, o -> o.withDeleteOnClose(deleteOnClose)));
    }

    @Override
    public int setDeletePending(FileKey file, long openId, boolean pending) {
        return records.modify(file.key(), r -> r.setDeletePending(openId, pending));
    }

    @Override
    public ShareModeRecord get(FileKey file) {
        return records.get(file.key());
    }

    @Override
    public int reassignOpen(FileKey file, long openId, OpenOwner newOwner) {
        if (newOwner.openId() != openId) {
            throw new IllegalArgumentException("a reassigned open keeps its open id");
        }
        return records.modify(file.key(), r -> r.replace(openId, o -> o.withOwner(newOwner)));
    }

    @Override
    public int grantOplock(FileKey file, long openId, int requested, int ceiling) {
        if (!OplockLevel.isValid(requested) || requested == OplockLevel.LEASE
            || !OplockLevel.isValid(ceiling) || ceiling == OplockLevel.LEASE) {
            throw new IllegalArgumentException("bad oplock level " + requested + " or ceiling " + ceiling);
        }
        return records.modify(file.key(), r -> {
            if (r.open(openId).isEmpty()) {
                return Transition.of(r, OplockLevel.NONE);
            }
            int level = OplockRules.grantable(r, openId, requested, ceiling);
            return Transition.of(r.replace(openId, o -> o.withOplock(level)).next(), level);
        });
    }

    @Override
    public Optional<OplockBreak> startOplockBreak(FileKey file, long openId, int toLevel, long deadline) {
        return records.modify(file.key(), r -> {
            Optional<OpenEntry> o = r.open(openId);
            if (o.isEmpty() || o.get().oplockLevel() == OplockLevel.LEASE
                || OplockRules.rank(o.get().oplockLevel()) <= OplockRules.rank(toLevel)) {
                return Transition.of(r, Optional.empty());
            }
            OpenEntry e = o.get();
            if (e.isBreaking()) {
                int narrower = OplockRules.rank(toLevel) < OplockRules.rank(e.breakingTo()) ? toLevel : e.breakingTo();
                return Transition.of(r.replace(openId, x -> x.breaking(narrower, e.breakDeadline())).next(),
                    Optional.empty());
            }
            if (e.oplockLevel() == OplockLevel.LEVEL_II) {
                // [MS-SMB2] 3.3.4.6: a level II break to none is not acknowledged; it takes effect now.
                return Transition.of(r.replace(openId, x -> x.withOplock(OplockLevel.NONE)).next(),
                    Optional.of(new OplockBreak(file, e.owner(), e.oplockLevel(), toLevel, deadline, false)));
            }
            return Transition.of(r.replace(openId, x -> x.breaking(toLevel, deadline)).next(),
                Optional.of(new OplockBreak(file, e.owner(), e.oplockLevel(), toLevel, deadline, true)));
        });
    }

    @Override
    public int acknowledgeOplockBreak(FileKey file, long openId, int level) {
        return records.modify(file.key(), r -> {
            Optional<OpenEntry> o = r.open(openId);
            if (o.isEmpty()) {
                return Transition.of(r, NtStatus.FILE_CLOSED);
            }
            int status = OplockRules.checkAcknowledgement(o.get(), level);
            if (status == NtStatus.INVALID_OPLOCK_PROTOCOL && o.get().isBreaking()) {
                // Acknowledged above the break's level: the server takes the oplock away.
                return Transition.of(r.replace(openId, x -> x.withOplock(OplockLevel.NONE)).next(), status);
            }
            if (status != NtStatus.SUCCESS) {
                return Transition.of(r, status);
            }
            return Transition.of(r.replace(openId, x -> x.withOplock(level)).next(), status);
        });
    }

    @Override
    public List<OplockBreak> expireOplockBreaks(long now) {
        List<OplockBreak> expired = new ArrayList<>();
        for (String key : records.keys()) {
            FileKey.fromKey(key).ifPresent(file -> expired.addAll(records.modify(key, r -> expire(file, r, now))));
        }
        return expired;
    }

    private static Transition<ShareModeRecord, List<OplockBreak>> expire(FileKey file, ShareModeRecord r, long now) {
        List<OplockBreak> done = new ArrayList<>();
        List<OpenEntry> next = new ArrayList<>();
        for (OpenEntry o : r.opens()) {
            if (o.isBreaking() && o.breakDeadline() <= now) {
                done.add(new OplockBreak(file, o.owner(), o.oplockLevel(), o.breakingTo(), o.breakDeadline(), true));
                next.add(o.withOplock(o.breakingTo()));
            } else {
                next.add(o);
            }
        }
        return Transition.of(done.isEmpty() ? r : new ShareModeRecord(r.deletePending(), next), done);
    }

    @Override
    public List<ReleasedOpens> removeOwners(OwnerFilter filter) {
        List<ReleasedOpens> out = new ArrayList<>();
        for (String key : records.keys()) {
            FileKey.fromKey(key).ifPresent(file -> {
                ReleasedOpens released = records.modify(key, r -> r.removeMatching(file, filter));
                if (!released.removed().isEmpty()) {
                    out.add(released);
                }
            });
        }
        return out;
    }
}
