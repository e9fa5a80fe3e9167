package org.bladeshare.smb.state;

/** The single-node {@link ShareModeTable}: records kept in this JVM. Thread-safe. */
public final class InMemoryShareModeTable extends RecordShareModeTable {
    public InMemoryShareModeTable() {
        super(new InMemoryRecordStore());
    }
}
