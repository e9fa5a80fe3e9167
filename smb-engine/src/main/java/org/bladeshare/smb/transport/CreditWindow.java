package org.bladeshare.smb.transport;

import java.util.BitSet;

/**
 * The connection's command sequence window ([MS-SMB2] 3.3.1.1, 3.3.1.2): message ids the client
 * may use, each at most once. Starts with id 0 granted.
 */
public final class CreditWindow {
    /** Upper bound on outstanding credits, like Samba's "smb2 max credits". */
    public static final int MAX_OUTSTANDING = 8192;

    private long low;          // every id below is used
    private long high = 1;     // ids below are granted
    private final BitSet used = new BitSet(); // bit i = id low + i used

    /** Consumes ids [messageId, messageId + charge); false when any is outside the window or reused. */
    public synchronized boolean consume(long messageId, int charge) {
        int n = Math.max(1, charge);
        if (messageId < low || messageId + n > high || messageId + n < messageId) {
            return false;
        }
        int rel = (int) (messageId - low);
        if (used.nextSetBit(rel) >= 0 && used.nextSetBit(rel) < rel + n) {
            return false;
        }
        used.set(rel, rel + n);
        int advance = used.nextClearBit(0);
        if (advance > 0) {
            low += advance;
            var shifted = used.get(advance, Math.max(advance, used.length()));
            used.clear();
            used.or(shifted);
        }
        return true;
    }

    /** Grants up to {@code requested} more credits (at least one when the client would otherwise hold none). */
    public synchronized int grant(int requested) {
        long outstanding = high - low - used.cardinality();
        long room = MAX_OUTSTANDING - (high - low);
        long g = Math.min(Math.max(requested, 0), Math.max(room, 0));
        if (g == 0 && outstanding == 0) {
            g = 1;
        }
        high += g;
        return (int) g;
    }

    public synchronized long outstanding() {
        return high - low - used.cardinality();
    }
}
