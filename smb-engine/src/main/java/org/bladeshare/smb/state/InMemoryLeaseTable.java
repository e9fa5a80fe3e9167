package org.bladeshare.smb.state;

/** The single-node {@link LeaseTable}: records kept in this JVM. Thread-safe. */
public final class InMemoryLeaseTable extends RecordLeaseTable {
    public InMemoryLeaseTable() {
        super(new InMemoryRecordStore());
    }
}
