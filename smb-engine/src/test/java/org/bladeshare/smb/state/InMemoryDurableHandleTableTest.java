package org.bladeshare.smb.state;

class InMemoryDurableHandleTableTest extends DurableHandleTableContract {
    @Override
    protected DurableHandleTable newTable() {
        return new InMemoryDurableHandleTable();
    }
}
