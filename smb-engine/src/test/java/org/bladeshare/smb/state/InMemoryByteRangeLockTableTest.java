package org.bladeshare.smb.state;

class InMemoryByteRangeLockTableTest extends ByteRangeLockTableContract {
    @Override
    protected ByteRangeLockTable newTable() {
        return new InMemoryByteRangeLockTable();
    }
}
