package org.bladeshare.appliance.adapters;

import org.bladeshare.cluster.ClusterNode;
import org.bladeshare.cluster.TestNodes;
import org.bladeshare.smb.state.ByteRangeLockTable;
import org.bladeshare.smb.state.ByteRangeLockTableContract;
import org.bladeshare.smb.state.DurableHandleTable;
import org.bladeshare.smb.state.DurableHandleTableContract;
import org.bladeshare.smb.state.LeaseTable;
import org.bladeshare.smb.state.LeaseTableContract;
import org.bladeshare.smb.state.MessageBus;
import org.bladeshare.smb.state.MessageBusContract;
import org.bladeshare.smb.state.RecordByteRangeLockTable;
import org.bladeshare.smb.state.RecordDurableHandleTable;
import org.bladeshare.smb.state.RecordLeaseTable;
import org.bladeshare.smb.state.RecordShareModeTable;
import org.bladeshare.smb.state.RecordStore;
import org.bladeshare.smb.state.ShareModeTable;
import org.bladeshare.smb.state.ShareModeTableContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SMB engine's shared-state contracts, run over the real cluster: three blades in this JVM,
 * and every table's records bounce between them (updates alternate blades), so each
 * operation exercises a migration of the record (CTDB's fetch_locked from the other node).
 */
class SmbStateOverBladesTest {
    private static TestNodes blades;
    private static Path dir;
    private static final AtomicInteger DB_NUMBER = new AtomicInteger();

    @BeforeAll
    static void startBlades() throws Exception {
        dir = Files.createTempDirectory("smb-state-blades");
        blades = new TestNodes(dir, 3).startAll();
        blades.awaitConverged(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBlades() {
        if (blades != null) {
            blades.close();
        }
    }

    /** A fresh volatile database whose updates alternate between blade 1 and blade 2. */
    static RecordStore bouncingStore() {
        String name = "smbstate" + DB_NUMBER.incrementAndGet();
        RecordStore a = new VolatileRecordStore(blades.node(0).volatileDb(name));
        RecordStore b = new VolatileRecordStore(blades.node(1).volatileDb(name));
        AtomicInteger turn = new AtomicInteger();
        return new RecordStore() {
            private RecordStore next() {
                return turn.getAndIncrement() % 2 == 0 ? a : b;
            }

            @Override
            public <T> T update(String key, Update<T> update) {
                return next().update(key, update);
            }

            @Override
            public Optional<byte[]> read(String key) {
                return next().read(key);
            }

            @Override
            public List<String> keys() {
                return next().keys();
            }
        };
    }

    @Nested
    class ShareModes extends ShareModeTableContract {
        @Override
        protected ShareModeTable newTable() {
            return new RecordShareModeTable(bouncingStore());
        }
    }

    @Nested
    class Locks extends ByteRangeLockTableContract {
        @Override
        protected ByteRangeLockTable newTable() {
            return new RecordByteRangeLockTable(bouncingStore());
        }
    }

    @Nested
    class Leases extends LeaseTableContract {
        @Override
        protected LeaseTable newTable() {
            return new RecordLeaseTable(bouncingStore());
        }
    }

    @Nested
    class DurableHandles extends DurableHandleTableContract {
        @Override
        protected DurableHandleTable newTable() {
            return new RecordDurableHandleTable(bouncingStore());
        }
    }

    @Nested
    class Bus extends MessageBusContract {
        @Override
        protected List<MessageBus> newNodes(int count) {
            if (count > 3) {
                throw new IllegalArgumentException("this fixture has three blades");
            }
            ClusterNode[] n = {blades.node(0), blades.node(1), blades.node(2)};
            return java.util.stream.IntStream.range(0, count).<MessageBus>mapToObj(i -> new ClusterMessageBus(n[i])).toList();
        }
    }
}
