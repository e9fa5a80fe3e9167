package org.bladeshare.cluster.wire;

import org.bladeshare.cluster.wire.WireMessage.DbImage;
import org.bladeshare.cluster.wire.WireMessage.Done;
import org.bladeshare.cluster.wire.WireMessage.ImageFetch;
import org.bladeshare.cluster.wire.WireMessage.Change;
import org.bladeshare.cluster.wire.WireMessage.PersistApply;
import org.bladeshare.cluster.wire.WireMessage.PersistCommit;
import org.bladeshare.cluster.wire.WireMessage.PersistTxn;
import org.bladeshare.cluster.wire.WireMessage.PersistWrite;
import org.bladeshare.cluster.wire.WireMessage.SeqQuery;
import org.bladeshare.cluster.wire.WireMessage.SeqReport;
import org.bladeshare.cluster.wire.WireMessage.BanRequest;
import org.bladeshare.cluster.wire.WireMessage.BusMessage;
import org.bladeshare.cluster.wire.WireMessage.Freeze;
import org.bladeshare.cluster.wire.WireMessage.Header;
import org.bladeshare.cluster.wire.WireMessage.HeaderDump;
import org.bladeshare.cluster.wire.WireMessage.Keep;
import org.bladeshare.cluster.wire.WireMessage.MigrateForward;
import org.bladeshare.cluster.wire.WireMessage.MigrateReply;
import org.bladeshare.cluster.wire.WireMessage.MigrateRequest;
import org.bladeshare.cluster.wire.WireMessage.NodeFlags;
import org.bladeshare.cluster.wire.WireMessage.ReplicatedPut;
import org.bladeshare.cluster.wire.WireMessage.Thaw;
import org.bladeshare.cluster.wire.WireMessage.TraverseRequest;
import java.util.ArrayList;
import java.util.List;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Encodes and decodes {@link Envelope}s. Frame: protocol version (1 byte), message type
 * (1 byte), flags (1 byte, bit 0 = reply), request id (8 bytes), then the body. Strings are a
 * 4-byte length and UTF-8; byte arrays a 4-byte length (-1 for null) and the bytes. A frame
 * of another protocol version is refused, never guessed at.
 *
 * <p>Version 2 added persistent transactions ({@link PersistTxn}, {@link PersistCommit}, type
 * codes 19 and 20); every older message keeps its version-1 layout. A frame carries the
 * version that introduced its type, so a version-1 node still decodes every message it knows
 * from a version-2 node (and refuses the new ones with a clear error), a version-2 node
 * decodes a version-1 node's frames, and a frame whose type is newer than its version is
 * refused.
 */
public final class WireCodec {
    /** The newest protocol version this node speaks (frames carry the version of their type). */
    public static final byte PROTOCOL_VERSION = 2;
    /**
     * The oldest version still decoded: during a rolling upgrade nodes of version N accept
     * N-1's frames (new message types get new type codes; old ones keep their layout).
     */
    public static final byte MIN_PROTOCOL_VERSION = 1;

    private static final int HEADER = 11;

    private WireCodec() {
    }

    public static byte[] encode(Envelope envelope) {
        Writer w = new Writer();
        w.u8(versionOf(envelope.body()));
        w.u8(typeOf(envelope.body()));
        w.u8(envelope.reply() ? 1 : 0);
        w.i64(envelope.requestId());
        switch (envelope.body()) {
            case Done d -> {
                w.u8(d.ok() ? 1 : 0);
                w.str(d.error());
            }
            case PersistWrite p -> {
                w.str(p.db());
                w.str(p.key());
                w.bytes(p.value());
            }
            case PersistApply p -> {
                w.str(p.db());
                w.i64(p.seq());
                w.str(p.key());
                w.bytes(p.value());
            }
            case PersistTxn t -> {
                w.str(t.db());
                w.i32(t.reads().size());
                t.reads().forEach((k, h) -> {
                    w.str(k);
                    w.i64(h);
                });
                changes(w, t.changes());
            }
            case PersistCommit c -> {
                w.str(c.db());
                w.i64(c.seq());
                changes(w, c.changes());
            }
            case SeqQuery q -> {
            }
            case SeqReport r -> {
                w.i32(r.seqs().size());
                r.seqs().forEach((db, seq) -> {
                    w.str(db);
                    w.i64(seq);
                });
            }
            case ImageFetch f -> w.str(f.db());
            case DbImage img -> {
                w.str(img.db());
                w.i64(img.seq());
                w.i32(img.records().size());
                img.records().forEach((k, v) -> {
                    w.str(k);
                    w.bytes(v);
                });
            }
            case MigrateRequest m -> {
                w.i64(m.generation());
                w.str(m.db());
                w.str(m.key());
                w.i32(m.requester());
            }
            case MigrateForward m -> {
                w.i64(m.generation());
                w.str(m.db());
                w.str(m.key());
                w.i32(m.requester());
            }
            case MigrateReply m -> {
                w.u8(m.ok() ? 1 : 0);
                w.str(m.reason() == null ? "" : m.reason());
                w.i64(m.rsn());
                w.i32(m.dmaster());
                w.bytes(m.data());
            }
            case Freeze f -> w.u8(f.fenced() ? 1 : 0);
            case HeaderDump d -> {
                w.i64(d.generation());
                w.i32(d.headers().size());
                d.headers().forEach((db, list) -> {
                    w.str(db);
                    w.i32(list.size());
                    for (Header h : list) {
                        w.str(h.key());
                        w.i64(h.rsn());
                        w.i32(h.dmaster());
                        w.u8(h.hasData() ? 1 : 0);
                    }
                });
            }
            case Thaw t -> {
                w.i64(t.generation());
                w.i32(t.active().size());
                t.active().forEach(w::i32);
                w.i32(t.keep().size());
                t.keep().forEach((db, list) -> {
                    w.str(db);
                    w.i32(list.size());
                    for (Keep k : list) {
                        w.str(k.key());
                        w.i32(k.dmaster());
                        w.i64(k.rsn());
                    }
                });
            }
            case TraverseRequest t -> w.str(t.db());
            case NodeFlags f -> {
                w.i32(f.pnn());
                w.u8((f.disabled() ? 1 : 0) | (f.stopped() ? 2 : 0) | (f.unhealthy() ? 4 : 0));
                w.i64(f.bannedForMillis());
            }
            case BanRequest b -> {
                w.i32(b.pnn());
                w.i64(b.millis());
                w.str(b.reason());
            }
            case BusMessage b -> {
                w.str(b.service());
                w.i32(b.from());
                w.bytes(b.payload());
            }
            case ReplicatedPut r -> {
                w.str(r.db());
                w.str(r.key());
                w.i64(r.clock());
                w.i32(r.pnn());
                w.bytes(r.value());
            }
        }
        return w.toByteArray();
    }

    public static Envelope decode(byte[] frame, int offset, int length) throws WireFormatException {
        if (length < HEADER) {
            throw new WireFormatException("message of " + length + " bytes is shorter than the header");
        }
        ByteBuffer in = ByteBuffer.wrap(frame, offset, length);
        int version = in.get();
        if (version < MIN_PROTOCOL_VERSION || version > PROTOCOL_VERSION) {
            throw new WireFormatException("unsupported protocol version " + version + " (this node speaks "
                    + MIN_PROTOCOL_VERSION + " to " + PROTOCOL_VERSION + ")");
        }
        int type = in.get();
        boolean reply = (in.get() & 1) != 0;
        long requestId = in.getLong();
        try {
            Reader r = new Reader(in);
            WireMessage body = switch (type) {
                case 1 -> new Done(r.u8() != 0, r.str());
                case 2 -> new PersistWrite(r.str(), r.str(), r.bytes());
                case 3 -> new PersistApply(r.str(), r.i64(), r.str(), r.bytes());
                case 4 -> new SeqQuery();
                case 5 -> {
                    int n = r.count(12);
                    Map<String, Long> seqs = new HashMap<>();
                    for (int i = 0; i < n; i++) {
                        seqs.put(r.str(), r.i64());
                    }
                    yield new SeqReport(seqs);
                }
                case 6 -> new ImageFetch(r.str());
                case 7 -> {
                    String db = r.str();
                    long seq = r.i64();
                    int n = r.count(8);
                    SortedMap<String, byte[]> records = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        records.put(r.str(), r.bytes());
                    }
                    yield new DbImage(db, seq, records);
                }
                case 8 -> new MigrateRequest(r.i64(), r.str(), r.str(), r.i32());
                case 9 -> new MigrateForward(r.i64(), r.str(), r.str(), r.i32());
                case 10 -> new MigrateReply(r.u8() != 0, r.str(), r.i64(), r.i32(), r.bytes());
                case 11 -> new Freeze(r.u8() != 0);
                case 12 -> {
                    long gen = r.i64();
                    int dbs = r.count(8);
                    Map<String, List<Header>> headers = new HashMap<>();
                    for (int i = 0; i < dbs; i++) {
                        String db = r.str();
                        int n = r.count(17);
                        List<Header> list = new ArrayList<>(n);
                        for (int j = 0; j < n; j++) {
                            list.add(new Header(r.str(), r.i64(), r.i32(), r.u8() != 0));
                        }
                        headers.put(db, list);
                    }
                    yield new HeaderDump(gen, headers);
                }
                case 13 -> {
                    long gen = r.i64();
                    int na = r.count(4);
                    List<Integer> active = new ArrayList<>(na);
                    for (int i = 0; i < na; i++) {
                        active.add(r.i32());
                    }
                    int dbs = r.count(8);
                    Map<String, List<Keep>> keep = new HashMap<>();
                    for (int i = 0; i < dbs; i++) {
                        String db = r.str();
                        int n = r.count(16);
                        List<Keep> list = new ArrayList<>(n);
                        for (int j = 0; j < n; j++) {
                            list.add(new Keep(r.str(), r.i32(), r.i64()));
                        }
                        keep.put(db, list);
                    }
                    yield new Thaw(gen, active, keep);
                }
                case 14 -> new TraverseRequest(r.str());
                case 15 -> {
                    int pnn = r.i32();
                    int flags = r.u8();
                    yield new NodeFlags(pnn, (flags & 1) != 0, (flags & 2) != 0, r.i64(), (flags & 4) != 0);
                }
                case 16 -> new BusMessage(r.str(), r.i32(), r.bytes());
                case 17 -> new ReplicatedPut(r.str(), r.str(), r.i64(), r.i32(), r.bytes());
                case 18 -> new BanRequest(r.i32(), r.i64(), r.str());
                case 19 -> {
                    requireVersion(version, 2, type);
                    String db = r.str();
                    int n = r.count(12);
                    Map<String, Long> reads = new HashMap<>();
                    for (int i = 0; i < n; i++) {
                        String key = r.str();
                        if (reads.put(key, r.i64()) != null) {
                            throw new WireFormatException("transaction reads key " + key + " twice");
                        }
                    }
                    yield new PersistTxn(db, reads, changes(r));
                }
                case 20 -> {
                    requireVersion(version, 2, type);
                    yield new PersistCommit(r.str(), r.i64(), changes(r));
                }
                default -> throw new WireFormatException("unknown message type " + type);
            };
            if (in.hasRemaining()) {
                throw new WireFormatException(in.remaining() + " trailing bytes after message type " + type);
            }
            return new Envelope(requestId, reply, body);
        } catch (BufferUnderflowException e) {
            throw new WireFormatException("message type " + type + " is truncated");
        }
    }

    private static void requireVersion(int frameVersion, int introduced, int type) throws WireFormatException {
        if (frameVersion < introduced) {
            throw new WireFormatException("message type " + type + " needs protocol version " + introduced
                    + ", the frame says " + frameVersion);
        }
    }

    private static void changes(Writer w, List<Change> changes) {
        w.i32(changes.size());
        for (Change c : changes) {
            w.str(c.key());
            w.bytes(c.value());
        }
    }

    private static List<Change> changes(Reader r) throws WireFormatException {
        int n = r.count(8);
        List<Change> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            changes.add(new Change(r.str(), r.bytes()));
        }
        return changes;
    }

    public static Envelope decode(byte[] frame) throws WireFormatException {
        return decode(frame, 0, frame.length);
    }

    /** The protocol version that introduced the message's type: the version its frames carry. */
    static int versionOf(WireMessage message) {
        return switch (message) {
            case PersistTxn t -> 2;
            case PersistCommit c -> 2;
            default -> 1;
        };
    }

    static int typeOf(WireMessage message) {
        return switch (message) {
            case Done x1 -> 1;
            case PersistWrite x2 -> 2;
            case PersistApply x3 -> 3;
            case SeqQuery x4 -> 4;
            case SeqReport x5 -> 5;
            case ImageFetch x6 -> 6;
            case DbImage x7 -> 7;
            case MigrateRequest x8 -> 8;
            case MigrateForward x9 -> 9;
            case MigrateReply x10 -> 10;
            case Freeze x11 -> 11;
            case HeaderDump x12 -> 12;
            case Thaw x13 -> 13;
            case TraverseRequest x14 -> 14;
            case NodeFlags x15 -> 15;
            case BusMessage x16 -> 16;
            case ReplicatedPut x17 -> 17;
            case BanRequest xb -> 18;
            case PersistTxn x19 -> 19;
            case PersistCommit x20 -> 20;
        };
    }

    private static final class Writer {
        private byte[] buf = new byte[64];
        private int pos;

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void u8(int v) {
            ensure(1);
            buf[pos++] = (byte) v;
        }

        void i32(int v) {
            ensure(4);
            ByteBuffer.wrap(buf, pos, 4).putInt(v);
            pos += 4;
        }

        void i64(long v) {
            ensure(8);
            ByteBuffer.wrap(buf, pos, 8).putLong(v);
            pos += 8;
        }

        void raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            raw(b);
        }

        void bytes(byte[] b) {
            if (b == null) {
                i32(-1);
            } else {
                i32(b.length);
                raw(b);
            }
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, pos);
        }
    }

    private record Reader(ByteBuffer in) {
        int u8() {
            return in.get() & 0xff;
        }

        long i64() {
            return in.getLong();
        }

        int i32() {
            return in.getInt();
        }

        /** A collection size, checked against the bytes left (each entry needs at least minEntry). */
        int count(int minEntry) throws WireFormatException {
            int n = in.getInt();
            if (n < 0 || (long) n * minEntry > in.remaining()) {
                throw new WireFormatException("entry count " + n + " exceeds the message");
            }
            return n;
        }

        private int length(boolean nullable) throws WireFormatException {
            int n = in.getInt();
            if ((n < 0 && !(nullable && n == -1)) || n > in.remaining()) {
                throw new WireFormatException("field length " + n + " exceeds the message");
            }
            return n;
        }

        String str() throws WireFormatException {
            int n = length(false);
            String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
            in.position(in.position() + n);
            return s;
        }

        byte[] bytes() throws WireFormatException {
            int n = length(true);
            if (n == -1) {
                return null;
            }
            byte[] b = new byte[n];
            in.get(b);
            return b;
        }
    }
}
