package org.bladeshare.smb.state;

/** Lease caching state bits ([MS-SMB2] 2.2.13.2.8 LeaseState). */
public final class LeaseState {
    private LeaseState() {
    }

    public static final int NONE = 0;
    public static final int R = 0x01;
    public static final int H = 0x02;
    public static final int W = 0x04;

    /**
     * The states a server may grant: none, R, RH, RW, RHW ([MS-SMB2] 3.3.5.9.8: a state with W or H
     * but no R is not granted; the server takes the request down to a valid one).
     */
    public static boolean isGrantable(int state) {
        return state == NONE || state == R || state == (R | H) || state == (R | W) || state == (R | H | W);
    }

    /** The largest grantable state within {@code requested}. */
    public static int grantable(int requested) {
        int s = requested & (R | H | W);
        return (s & R) == 0 ? NONE : s;
    }

    public static String name(int state) {
        if (state == NONE) {
            return "NONE";
        }
        return ((state & R) != 0 ? "R" : "") + ((state & H) != 0 ? "H" : "") + ((state & W) != 0 ? "W" : "");
    }
}
