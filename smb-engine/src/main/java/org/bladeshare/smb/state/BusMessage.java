package org.bladeshare.smb.state;

/**
 * A message between nodes for one service (CTDB's SRVID): the sending node, the connection it is for
 * on the receiving node ({@link #ALL_CONNECTIONS} for a broadcast), and a small payload. {@link #encode}
 * is the envelope a clustered bus carries.
 */
public record BusMessage(String service, int fromNode, long connectionId, byte[] payload) {
    private static final int VERSION = 1;
    public static final long ALL_CONNECTIONS = -1L;
    /** Payloads are small notifications (a break, a lock grant), not data transfers. */
    public static final int MAX_PAYLOAD = 64 * 1024;

    public BusMessage {
        if (service == null || service.isEmpty() || service.length() > 200) {
            throw new IllegalArgumentException("service id must be 1..200 characters");
        }
        if (payload == null || payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("bus payload must be present and at most " + MAX_PAYLOAD + " bytes");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public byte[] encode() {
        return new Bytes.Writer().u8(VERSION).str(service).i32(fromNode).i64(connectionId).i32(payload.length)
            .raw(payload).toBytes();
    }

    public static BusMessage decode(byte[] data) {
        var r = new Bytes.Reader(data, "BusMessage");
        r.version(VERSION);
        String service = r.str();
        int from = r.i32();
        long connection = r.i64();
        byte[] payload = r.raw(r.count());
        r.end();
        try {
            return new BusMessage(service, from, connection, payload);
        } catch (IllegalArgumentException e) {
            throw new StateCodecException("BusMessage: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BusMessage m && m.service.equals(service) && m.fromNode == fromNode
            && m.connectionId == connectionId && java.util.Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(service, fromNode, connectionId, java.util.Arrays.hashCode(payload));
    }
}
