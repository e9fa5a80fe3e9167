package org.bladeshare.smb.state;

import org.junit.jupiter.api.Nested;

/** Every table's contract again, over a store that re-runs updates (see {@link RetryingRecordStore}). */
class TablesOverRetryingStoreTest {

    @Nested
    class ShareModes extends ShareModeTableContract {
        @Override
        protected ShareModeTable newTable() {
            return new RecordShareModeTable(new RetryingRecordStore(new InMemoryRecordStore()));
        }
    }

    @Nested
    class Locks extends ByteRangeLockTableContract {
        @Override
        protected ByteRangeLockTable newTable() {
            return new RecordByteRangeLockTable(new RetryingRecordStore(new InMemoryRecordStore()));
        }
    }

    @Nested
    class Leases extends LeaseTableContract {
        @Override
        protected LeaseTable newTable() {
            return new RecordLeaseTable(new RetryingRecordStore(new InMemoryRecordStore()));
        }
    }

    @Nested
    class DurableHandles extends DurableHandleTableContract {
        @Override
        protected DurableHandleTable newTable() {
            return new RecordDurableHandleTable(new RetryingRecordStore(new InMemoryRecordStore()));
        }
    }
}
