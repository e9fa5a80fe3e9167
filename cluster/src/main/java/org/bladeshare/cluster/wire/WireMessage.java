package org.bladeshare.cluster.wire;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Every message the cluster nodes exchange. Marshalling lives in {@link WireCodec}, kept
 * apart from behaviour as in CTDB's {@code ctdb/protocol/}; each record here is one message
 * type with a fixed type code.
 */
public sealed interface WireMessage {

    /** Generic reply: the request was carried out ({@code ok}) or why not. */
    record Done(boolean ok, String error) implements WireMessage {
        public static final Done OK = new Done(true, "");

        public Done {
            error = error == null ? "" : error;
        }

        public static Done failed(String why) {
            return new Done(false, why);
        }
    }

    /** A write to a persistent database, sent to the coordinator; {@code value} null deletes. */
    record PersistWrite(String db, String key, byte[] value) implements WireMessage {
    }

    /** The coordinator's order to commit one write with its database sequence number. */
    record PersistApply(String db, long seq, String key, byte[] value) implements WireMessage {
    }

    /** One record change of a persistent transaction; {@code value} null deletes. */
    record Change(String key, byte[] value) {
    }

    /**
     * A persistent transaction, sent to the coordinator (protocol version 2): the records it
     * read with the hash of the value it saw ({@code 0} for absent), which must still hold at
     * commit, and its changes in order. CTDB's {@code ctdb_transaction_commit}.
     */
    record PersistTxn(String db, Map<String, Long> reads, List<Change> changes) implements WireMessage {
        public PersistTxn {
            reads = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(reads));
            changes = List.copyOf(changes);
        }
    }

    /**
     * The coordinator's order to commit one or more transactions as one local commit
     * (protocol version 2): apply {@code changes} in order and set the database's sequence
     * number to {@code seq}, all or nothing.
     */
    record PersistCommit(String db, long seq, List<Change> changes) implements WireMessage {
        public PersistCommit {
            changes = List.copyOf(changes);
        }
    }

    /** Recovery asks each member for the sequence number of each persistent database. */
    record SeqQuery() implements WireMessage {
    }

    /** Answer to {@link SeqQuery}: database name to sequence number. */
    record SeqReport(Map<String, Long> seqs) implements WireMessage {
        public SeqReport {
            seqs = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(seqs));
        }
    }

    /** Recovery asks the holder of the newest copy of a database for all of it. */
    record ImageFetch(String db) implements WireMessage {
    }

    /**
     * A whole persistent database at one sequence number: the answer to {@link ImageFetch},
     * and, sent as a request, the order to replace the local copy with it.
     */
    record DbImage(String db, long seq, SortedMap<String, byte[]> records) implements WireMessage {
    }

    // ---- volatile databases: record migration (CTDB's ctdb_call / dmaster handoff) ----

    /** Requester to LMASTER: bring the record to {@code requester}. */
    record MigrateRequest(long generation, String db, String key, int requester) implements WireMessage {
    }

    /** LMASTER to DMASTER: hand the record over to {@code requester}. */
    record MigrateForward(long generation, String db, String key, int requester) implements WireMessage {
    }

    /** The migrated record (RSN already incremented, DMASTER = requester), or {@code ok=false}: retry. */
    record MigrateReply(boolean ok, String reason, long rsn, int dmaster, byte[] data) implements WireMessage {
        public static MigrateReply retry(String reason) {
            return new MigrateReply(false, reason, 0, -1, null);
        }
    }

    // ---- recovery ----

    /** One record header as a node holds it: the key, its RSN, the DMASTER it believes in, whether it has data. */
    record Header(String key, long rsn, int dmaster, boolean hasData) {
    }

    /**
     * Coordinator to every member: stop migrations and report every volatile record header.
     * {@code fenced}: this side of the cluster does not hold the recovery lock, so record
     * access fails at once instead of waiting for a thaw.
     */
    record Freeze(boolean fenced) implements WireMessage {
    }

    /** Answer to {@link Freeze}: the node's generation and its headers, by database. */
    record HeaderDump(long generation, Map<String, List<Header>> headers) implements WireMessage {
        public HeaderDump {
            headers = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(headers));
        }
    }

    /** What one node keeps of one record after recovery: DMASTER and RSN (it is DMASTER or LMASTER). */
    record Keep(String key, int dmaster, long rsn) {
    }

    /**
     * Coordinator to one member: the new generation, the active nodes (LMASTER hashing runs over
     * them), the records to keep by database (drop every other), then thaw.
     */
    record Thaw(long generation, List<Integer> active, Map<String, List<Keep>> keep) implements WireMessage {
        public Thaw {
            active = List.copyOf(active);
            keep = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(keep));
        }
    }

    /** Traversal: every record this node holds as DMASTER, answered with a {@link DbImage}. */
    record TraverseRequest(String db) implements WireMessage {
    }

    // ---- administration and the message bus ----

    /** A node's administrative flags and health, sent by the node itself to every member. */
    record NodeFlags(int pnn, boolean disabled, boolean stopped, long bannedForMillis, boolean unhealthy)
            implements WireMessage {
    }

    /** The coordinator bans a node that keeps failing recovery (CTDB's recovery ban). */
    record BanRequest(int pnn, long millis, String reason) implements WireMessage {
    }

    /** A message for a service on another node (or all). */
    record BusMessage(String service, int from, byte[] payload) implements WireMessage {
    }

    /** A replicated key/value write; null value deletes. Newer {@code (clock, pnn)} wins. */
    record ReplicatedPut(String db, String key, long clock, int pnn, byte[] value) implements WireMessage {
    }
}
