package org.bladeshare.smb.state;

class InMemoryLeaseTableTest extends LeaseTableContract {
    @Override
    protected LeaseTable newTable() {
        return new InMemoryLeaseTable();
    }
}
