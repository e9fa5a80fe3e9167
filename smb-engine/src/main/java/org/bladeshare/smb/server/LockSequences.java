package org.bladeshare.smb.server;

/**
 * Open.LockSequenceArray ([MS-SMB2] 3.3.1.10, 3.3.5.14): 64 buckets, each remembering the last lock
 * sequence number that succeeded in it, so a LOCK replayed after a lost connection is answered
 * SUCCESS without being applied twice. Buckets are 1..64; other indexes are not tracked.
 */
final class LockSequences {
    static final int BUCKETS = 64;

    /** Per bucket: -1 when not valid, else the 4-bit sequence number of the last success. */
    private final int[] last = new int[BUCKETS + 1];

    LockSequences() {
        java.util.Arrays.fill(last, -1);
    }

    /** LockSequenceIndex: bits 4..31 of the request's LockSequence field. */
    static int index(int lockSequence) {
        return lockSequence >>> 4;
    }

    /** LockSequenceNumber: bits 0..3. */
    static int number(int lockSequence) {
        return lockSequence & 0xF;
    }

    private static boolean tracked(int index) {
        return index >= 1 && index <= BUCKETS;
    }

    /**
     * True when this LOCK is a replay of the last successful one in its bucket (answer SUCCESS and
     * do nothing); otherwise the bucket is invalidated until {@link #succeeded}.
     */
    synchronized boolean isReplay(int lockSequence) {
        int index = index(lockSequence);
        if (!tracked(index)) {
            return false;
        }
        if (last[index] == number(lockSequence)) {
            return true;
        }
        last[index] = -1;
        return false;
    }

    /** Records a LOCK that succeeded. */
    synchronized void succeeded(int lockSequence) {
        int index = index(lockSequence);
        if (tracked(index)) {
            last[index] = number(lockSequence);
        }
    }
}
