package org.bladeshare.smb.state;

import java.util.ArrayList;
import java.util.List;

/**
 * A lease ([MS-SMB2] 3.3.1.13): its key, the file it covers (a lease key names one file: using it
 * for another is STATUS_INVALID_PARAMETER, 3.3.5.9.8), version 1 or 2, caching state (R/H/W),
 * epoch (v2), the opens that hold it, and a break in progress as data ({@link #NOT_BREAKING} when none):
 * {@code breakingTo} is the state the client was told to break to (what it may acknowledge), and
 * {@code breakingToRequired} what the opens that came since need, never wider (Samba's
 * breaking_to_requested / breaking_to_required); an acknowledgement above the required state is
 * followed by a further break ([MS-SMB2] 3.3.5.22.2, as Windows breaks in steps).
 */
public record Lease(LeaseKey key, FileKey file, String path, int version, int state, int epoch, int breakingTo,
                    int breakingToRequired, long breakDeadline, List<OpenOwner> holders) {
    private static final int VERSION = 2;
    public static final int NOT_BREAKING = -1;
    /** Opens one lease may hold, so no client can grow a record without bound. */
    public static final int MAX_HOLDERS = 65_536;

    public Lease {
        if (key == null || file == null || path == null) {
            throw new IllegalArgumentException("lease needs a key, a file and a path");
        }
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("lease version must be 1 or 2, not " + version);
        }
        if ((state & ~(LeaseState.R | LeaseState.H | LeaseState.W)) != 0) {
            throw new IllegalArgumentException("bad lease state " + state);
        }
        if (breakingTo == NOT_BREAKING) {
            breakingToRequired = NOT_BREAKING;
        } else if (breakingToRequired == NOT_BREAKING || (breakingToRequired & ~breakingTo) != 0) {
            throw new IllegalArgumentException("required break state must lie within the notified one");
        }
        holders = List.copyOf(holders);
    }

    public boolean isBreaking() {
        return breakingTo != NOT_BREAKING;
    }

    Lease with(int newState, int newEpoch, int newBreakingTo, long deadline, List<OpenOwner> newHolders) {
        return new Lease(key, file, path, version, newState, newEpoch, newBreakingTo, newBreakingTo, deadline,
            newHolders);
    }

    /** The same break, now needing at most {@code required} (no new notification). */
    Lease narrowedTo(int required) {
        return new Lease(key, file, path, version, state, epoch, breakingTo, breakingToRequired & required,
            breakDeadline, holders);
    }

    Lease withHolders(List<OpenOwner> newHolders) {
        return new Lease(key, file, path, version, state, epoch, breakingTo, breakingToRequired, breakDeadline,
            newHolders);
    }

    List<OpenOwner> holdersPlus(OpenOwner o) {
        List<OpenOwner> next = new ArrayList<>(holders);
        next.removeIf(h -> h.openId() == o.openId());
        next.add(o);
        return next;
    }

    /** Where a break is sent: the connection of the lease's most recent open ([MS-SMB2] 3.3.4.7). */
    public BusAddress breakAddress() {
        return holders.isEmpty() ? null : holders.getLast().address();
    }

    public byte[] encode() {
        var w = new Bytes.Writer().u8(VERSION);
        key.write(w);
        file.write(w);
        w.str(path).u8(version).u8(state).i32(epoch).i32(breakingTo).i32(breakingToRequired).i64(breakDeadline).i32(holders.size());
        holders.forEach(h -> h.write(w));
        return w.toBytes();
    }

    public static Lease decode(byte[] data) {
        var r = new Bytes.Reader(data, "Lease");
        r.version(VERSION);
        LeaseKey key = LeaseKey.read(r);
        FileKey file = FileKey.read(r);
        String path = r.str();
        int version = r.u8();
        int state = r.u8();
        int epoch = r.i32();
        int breakingTo = r.i32();
        int breakingToRequired = r.i32();
        long deadline = r.i64();
        int n = r.count();
        List<OpenOwner> holders = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            holders.add(OpenOwner.read(r));
        }
        r.end();
        try {
            return new Lease(key, file, path, version, state, epoch, breakingTo, breakingToRequired, deadline, holders);
        } catch (IllegalArgumentException e) {
            throw new StateCodecException("Lease: " + e.getMessage());
        }
    }
}
