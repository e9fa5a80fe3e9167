package org.bladeshare.cluster.wire;

import org.bladeshare.cluster.wire.WireMessage.DbImage;
import org.bladeshare.cluster.wire.WireMessage.Done;
import org.bladeshare.cluster.wire.WireMessage.ImageFetch;
import org.bladeshare.cluster.wire.WireMessage.PersistApply;
import org.bladeshare.cluster.wire.WireMessage.PersistWrite;
import org.bladeshare.cluster.wire.WireMessage.SeqQuery;
import org.bladeshare.cluster.wire.WireMessage.SeqReport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireCodecTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<WireMessage> samples() {
        TreeMap<String, byte[]> records = new TreeMap<>();
        records.put("alice", b("hash"));
        records.put("ünïcode", new byte[0]);
        return List.of(
                Done.OK, Done.failed("no such database"),
                new PersistWrite("users", "alice", b("x")), new PersistWrite("users", "alice", null),
                new PersistApply("users", 42, "bob", b("y")), new PersistApply("users", 43, "bob", null),
                new SeqQuery(), new SeqReport(Map.of("users", 7L, "shares", 0L)),
                new ImageFetch("users"), new DbImage("users", 9, records), new DbImage("empty", 0, new TreeMap<>()),
                new WireMessage.MigrateRequest(3, "opens", "a.txt", 2),
                new WireMessage.MigrateForward(3, "opens", "a.txt", 2),
                new WireMessage.MigrateReply(true, "", 8, 2, b("rec")), WireMessage.MigrateReply.retry("frozen"),
                new WireMessage.Freeze(false), new WireMessage.Freeze(true),
                new WireMessage.HeaderDump(4, Map.of("opens", List.of(new WireMessage.Header("a", 3, 1, true),
                        new WireMessage.Header("b", 1, 0, false)), "locks", List.of())),
                new WireMessage.Thaw(5, List.of(0, 2), Map.of("opens", List.of(new WireMessage.Keep("a", 2, 3)))),
                new WireMessage.TraverseRequest("opens"),
                new WireMessage.NodeFlags(1, true, false, 1500, false), new WireMessage.NodeFlags(2, false, true, 0, true),
                new WireMessage.BusMessage("oplock-break", 1, b("payload")),
                new WireMessage.ReplicatedPut("tickles", "k", 77, 1, b("v")),
                new WireMessage.ReplicatedPut("tickles", "k", 78, 2, null),
                new WireMessage.PersistTxn("users", Map.of("alice", 0L, "bob", -17L),
                        List.of(new WireMessage.Change("alice", b("a")), new WireMessage.Change("bob", null))),
                new WireMessage.PersistTxn("users", Map.of(), List.of()),
                new WireMessage.PersistCommit("users", 12, List.of(new WireMessage.Change("ünïcode", new byte[0]),
                        new WireMessage.Change("gone", null))));
    }

    /** Records holding arrays compare by identity: compare their encodings instead. */
    @Test
    void everyMessageRoundTrips() throws Exception {
        long id = 1;
        for (WireMessage m : samples()) {
            Envelope env = new Envelope(id++, id % 2 == 0, m);
            byte[] frame = WireCodec.encode(env);
            Envelope back = WireCodec.decode(frame);
            assertEquals(env.requestId(), back.requestId());
            assertEquals(env.reply(), back.reply());
            assertEquals(m.getClass(), back.body().getClass());
            assertArrayEquals(frame, WireCodec.encode(back), "re-encoding " + m);
        }
        PersistWrite w = (PersistWrite) WireCodec.decode(WireCodec.encode(
                new Envelope(5, false, new PersistWrite("users", "k", b("v"))))).body();
        assertEquals("users", w.db());
        assertArrayEquals(b("v"), w.value());
    }

    /** Version 1 nodes still decode every message version 1 had, whoever sends it. */
    @Test
    void everyFrameStartsWithTheProtocolVersionThatIntroducedItsType() {
        for (WireMessage m : samples()) {
            boolean sinceVersion2 = m instanceof WireMessage.PersistTxn || m instanceof WireMessage.PersistCommit;
            assertEquals(sinceVersion2 ? 2 : 1, WireCodec.encode(new Envelope(1, false, m))[0], m.toString());
        }
    }

    @Test
    void anotherProtocolVersionIsRefused() {
        byte[] frame = WireCodec.encode(new Envelope(1, false, new SeqQuery()));
        frame[0] = WireCodec.PROTOCOL_VERSION + 1;
        WireFormatException e = assertThrows(WireFormatException.class, () -> WireCodec.decode(frame));
        assertTrue(e.getMessage().contains("unsupported protocol version " + (WireCodec.PROTOCOL_VERSION + 1)),
                e.getMessage());
        frame[0] = WireCodec.MIN_PROTOCOL_VERSION - 1;
        assertThrows(WireFormatException.class, () -> WireCodec.decode(frame));
    }

    @Test
    void theVersionBeforeIsStillDecodedButOnlyForTheMessagesItHad() throws Exception {
        assertEquals(2, WireCodec.PROTOCOL_VERSION);
        assertEquals(1, WireCodec.MIN_PROTOCOL_VERSION, "version 2 nodes still understand version 1 nodes");
        byte[] old = WireCodec.encode(new Envelope(3, false, new PersistWrite("users", "alice", b("x"))));
        assertEquals(1, old[0]);
        assertEquals("alice", ((PersistWrite) WireCodec.decode(old).body()).key());
        old[0] = 2; // a later node may tag an old type with its own version: same layout
        assertEquals("alice", ((PersistWrite) WireCodec.decode(old).body()).key());
        byte[] txn = WireCodec.encode(new Envelope(4, false, new WireMessage.PersistTxn("users", Map.of(),
                List.of(new WireMessage.Change("alice", b("x"))))));
        txn[0] = 1;
        WireFormatException e = assertThrows(WireFormatException.class, () -> WireCodec.decode(txn));
        assertTrue(e.getMessage().contains("needs protocol version 2"), e.getMessage());
    }

    @Test
    void aTransactionThatReadsOneKeyTwiceIsRefused() {
        byte[] frame = WireCodec.encode(new Envelope(1, false, new WireMessage.PersistTxn("db",
                Map.of("aa", 1L, "ab", 2L), List.of())));
        String text = new String(frame, StandardCharsets.ISO_8859_1).replace("ab", "aa");
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> WireCodec.decode(text.getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(e.getMessage().contains("reads key aa twice"), e.getMessage());
    }

    @Test
    void truncatedOrCorruptFramesAreRefusedNotCrashed() {
        for (WireMessage m : samples()) {
            byte[] frame = WireCodec.encode(new Envelope(1, false, m));
            for (int len = 0; len < frame.length; len++) {
                byte[] cut = Arrays.copyOf(frame, len);
                assertThrows(WireFormatException.class, () -> WireCodec.decode(cut), "cut at " + len + " of " + m);
            }
        }
        byte[] unknown = WireCodec.encode(new Envelope(1, false, new SeqQuery()));
        unknown[1] = 99;
        assertThrows(WireFormatException.class, () -> WireCodec.decode(unknown));
        byte[] huge = WireCodec.encode(new Envelope(1, false, new ImageFetch("users")));
        huge[11] = 0x7f; // string length far beyond the frame
        assertThrows(WireFormatException.class, () -> WireCodec.decode(huge));
    }
}
