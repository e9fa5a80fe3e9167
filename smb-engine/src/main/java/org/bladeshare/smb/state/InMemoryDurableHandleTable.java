package org.bladeshare.smb.state;

/** The single-node {@link DurableHandleTable}: records kept in this JVM (lost with it). Thread-safe. */
public final class InMemoryDurableHandleTable extends RecordDurableHandleTable {
    public InMemoryDurableHandleTable() {
        super(new InMemoryRecordStore());
    }
}
