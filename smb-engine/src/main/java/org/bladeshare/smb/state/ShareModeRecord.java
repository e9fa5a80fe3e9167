package org.bladeshare.smb.state;

import org.bladeshare.smb.erref.NtStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A file's share-mode record (Samba's {@code share_mode_data}): the delete-pending flag
 * ([MS-FSA] 2.1.1.4 Link.IsDeleted / File.PendingDelete) and the file's opens. Every method is a pure
 * transition returning the new record, so any store gives the same answers.
 */
public record ShareModeRecord(boolean deletePending, List<OpenEntry> opens) {
    private static final int VERSION = 1;
    public static final ShareModeRecord EMPTY = new ShareModeRecord(false, List.of());
    /** Opens one file may have, so no client can grow a record without bound. */
    public static final int MAX_OPENS = 65_536;

    public ShareModeRecord {
        opens = List.copyOf(opens);
    }

    public boolean isEmpty() {
        return opens.isEmpty() && !deletePending;
    }

    public Optional<OpenEntry> open(long openId) {
        return opens.stream().filter(o -> o.openId() == openId).findFirst();
    }

    Transition<ShareModeRecord, OpenResult> add(OpenEntry entry) {
        if (open(entry.openId()).isPresent()) {
            throw new IllegalArgumentException("open id " + entry.openId() + " is already in this file's record");
        }
        int status = opens.size() >= MAX_OPENS ? NtStatus.INSUFFICIENT_RESOURCES
            : ShareAccess.check(deletePending, opens, entry.access(), entry.shareAccess());
        if (status != NtStatus.SUCCESS) {
            return Transition.of(this, new OpenResult(status, this));
        }
        List<OpenEntry> next = new ArrayList<>(opens);
        next.add(entry);
        ShareModeRecord after = new ShareModeRecord(deletePending, next);
        return Transition.of(after, new OpenResult(NtStatus.SUCCESS, after));
    }

    /** [MS-FSA] 2.1.5.4: closing an open with DeleteOnClose makes the file delete-pending; the last close deletes it. */
    Transition<ShareModeRecord, CloseResult> remove(long openId) {
        Optional<OpenEntry> gone = open(openId);
        if (gone.isEmpty()) {
            return Transition.of(this, new CloseResult(false, opens.isEmpty(), false));
        }
        List<OpenEntry> next = new ArrayList<>(opens);
        next.remove(gone.get());
        boolean pending = deletePending || gone.get().deleteOnClose();
        if (next.isEmpty()) {
            return Transition.of(EMPTY, new CloseResult(true, true, pending));
        }
        return Transition.of(new ShareModeRecord(pending, next), new CloseResult(true, false, false));
    }

    Transition<ShareModeRecord, ReleasedOpens> removeMatching(FileKey file, OwnerFilter filter) {
        List<OpenEntry> removed = opens.stream().filter(o -> filter.matches(o.owner())).toList();
        if (removed.isEmpty()) {
            return Transition.of(this, new ReleasedOpens(file, List.of(), false));
        }
        List<OpenEntry> next = opens.stream().filter(o -> !filter.matches(o.owner())).toList();
        boolean pending = deletePending || removed.stream().anyMatch(OpenEntry::deleteOnClose);
        if (next.isEmpty()) {
            return Transition.of(EMPTY, new ReleasedOpens(file, removed, pending));
        }
        return Transition.of(new ShareModeRecord(pending, next), new ReleasedOpens(file, removed, false));
    }

    /** Replaces one open's entry; STATUS_FILE_CLOSED when the open is not in this record. */
    Transition<ShareModeRecord, Integer> replace(long openId, UnaryOperator<OpenEntry> change) {
        Optional<OpenEntry> old = open(openId);
        if (old.isEmpty()) {
            return Transition.of(this, NtStatus.FILE_CLOSED);
        }
        List<OpenEntry> next = new ArrayList<>(opens);
        next.set(next.indexOf(old.get()), change.apply(old.get()));
        return Transition.of(new ShareModeRecord(deletePending, next), NtStatus.SUCCESS);
    }

    /** [MS-FSA] 2.1.5.15.3 FileDispositionInformation: sets or clears delete-pending through an open. */
    Transition<ShareModeRecord, Integer> setDeletePending(long openId, boolean pending) {
        if (open(openId).isEmpty()) {
            return Transition.of(this, NtStatus.FILE_CLOSED);
        }
        return Transition.of(new ShareModeRecord(pending, opens), NtStatus.SUCCESS);
    }

    public byte[] encode() {
        var w = new Bytes.Writer().u8(VERSION).bool(deletePending).i32(opens.size());
        opens.forEach(o -> o.write(w));
        return w.toBytes();
    }

    public static ShareModeRecord decode(byte[] data) {
        var r = new Bytes.Reader(data, "ShareModeRecord");
        r.version(VERSION);
        boolean pending = r.bool();
        int n = r.count();
        List<OpenEntry> opens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            opens.add(OpenEntry.read(r));
        }
        r.end();
        return new ShareModeRecord(pending, opens);
    }
}
