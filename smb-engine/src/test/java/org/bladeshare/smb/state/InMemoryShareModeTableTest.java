package org.bladeshare.smb.state;

class InMemoryShareModeTableTest extends ShareModeTableContract {
    @Override
    protected ShareModeTable newTable() {
        return new InMemoryShareModeTable();
    }
}
