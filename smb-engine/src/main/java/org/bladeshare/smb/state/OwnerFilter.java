package org.bladeshare.smb.state;

/**
 * Selects owners for bulk release, as data (so it can be shipped to another node): all of a dead
 * node, all of a closed connection, all of a logged-off session, or one open.
 * A {@code null} component matches anything.
 */
public record OwnerFilter(int node, Long connectionId, Long sessionId, Long openId) {
    public static OwnerFilter node(int node) {
        return new OwnerFilter(node, null, null, null);
    }

    public static OwnerFilter connection(int node, long connectionId) {
        return new OwnerFilter(node, connectionId, null, null);
    }

    /** Session ids are unique per server ([MS-SMB2] 3.3.5.5.1), so node and session suffice. */
    public static OwnerFilter session(int node, long sessionId) {
        return new OwnerFilter(node, null, sessionId, null);
    }

    public boolean matches(OpenOwner o) {
        return o.node() == node
            && (connectionId == null || connectionId == o.connectionId())
            && (sessionId == null || sessionId == o.sessionId())
            && (openId == null || openId == o.openId());
    }

    public byte[] encode() {
        var w = new Bytes.Writer().u8(1).i32(node);
        for (Long v : new Long[] {connectionId, sessionId, openId}) {
            w.bool(v != null).i64(v == null ? 0 : v);
        }
        return w.toBytes();
    }

    public static OwnerFilter decode(byte[] data) {
        var r = new Bytes.Reader(data, "OwnerFilter");
        r.version(1);
        int node = r.i32();
        Long[] v = new Long[3];
        for (int i = 0; i < 3; i++) {
            boolean present = r.bool();
            long x = r.i64();
            v[i] = present ? x : null;
        }
        r.end();
        return new OwnerFilter(node, v[0], v[1], v[2]);
    }
}
