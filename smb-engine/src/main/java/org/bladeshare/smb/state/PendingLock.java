package org.bladeshare.smb.state;

import java.util.List;

/**
 * A blocking lock request waiting in the file's record ([MS-SMB2] 3.3.5.14.2, answered
 * STATUS_PENDING): the owner, the request's AsyncId on the owner's connection, and its lock
 * elements, granted all together when they all can be. Data only: the engine keeps the pending
 * request and completes it when the table reports the lock granted.
 */
public record PendingLock(OpenOwner owner, long asyncId, List<LockRequest> requests) {
    public PendingLock {
        requests = List.copyOf(requests);
    }

    void write(Bytes.Writer w) {
        owner.write(w);
        w.i64(asyncId).i32(requests.size());
        requests.forEach(q -> q.write(w));
    }

    static PendingLock read(Bytes.Reader r) {
        OpenOwner owner = OpenOwner.read(r);
        long asyncId = r.i64();
        int n = r.count();
        LockRequest[] q = new LockRequest[n];
        for (int i = 0; i < n; i++) {
            q[i] = LockRequest.read(r);
        }
        return new PendingLock(owner, asyncId, List.of(q));
    }
}
