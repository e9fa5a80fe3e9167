package org.bladeshare.smb.state;

/**
 * Who holds an open, lock or lease ([MS-SMB2] 3.3.1.10): the node (server id) and connection that
 * can be sent a break, the session, and the open's persistent id ({@code FileId.Persistent}),
 * which is unique across the cluster and survives a durable reconnect.
 */
public record OpenOwner(int node, long connectionId, long sessionId, long openId) {
    void write(Bytes.Writer w) {
        w.i32(node).i64(connectionId).i64(sessionId).i64(openId);
    }

    static OpenOwner read(Bytes.Reader r) {
        return new OpenOwner(r.i32(), r.i64(), r.i64(), r.i64());
    }

    /** Where a break or lock completion for this open must be sent. */
    public BusAddress address() {
        return new BusAddress(node, connectionId);
    }

    public byte[] encode() {
        var w = new Bytes.Writer();
        write(w);
        return w.toBytes();
    }

    public static OpenOwner decode(byte[] data) {
        var r = new Bytes.Reader(data, "OpenOwner");
        OpenOwner o = read(r);
        r.end();
        return o;
    }
}
