package org.bladeshare.cluster.db;

/**
 * A volatile record as one node holds it, with CTDB's record header: the record sequence
 * number (RSN, incremented on every migration and store) and the DMASTER (the node holding
 * the current copy). {@code data} null means the record is empty, or that this copy is only
 * the LMASTER's pointer to the DMASTER.
 */
public record Record(long rsn, int dmaster, byte[] data) {
}
