package org.bladeshare.smb.state;

/** The single-node {@link ByteRangeLockTable}: records kept in this JVM. Thread-safe. */
public final class InMemoryByteRangeLockTable extends RecordByteRangeLockTable {
    public InMemoryByteRangeLockTable() {
        super(new InMemoryRecordStore());
    }
}
