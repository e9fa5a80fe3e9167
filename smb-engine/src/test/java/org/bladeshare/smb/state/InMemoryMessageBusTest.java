package org.bladeshare.smb.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemoryMessageBusTest extends MessageBusContract {
    @Override
    protected List<MessageBus> newNodes(int count) {
        var hub = new InMemoryMessageBus.Hub();
        List<MessageBus> buses = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            buses.add(hub.join(i));
        }
        return buses;
    }

    @Test
    void loneNodeReachesOnlyItself() {
        try (var bus = new InMemoryMessageBus(1)) {
            assertFalse(bus.send(new BusAddress(2, 1), SERVICE, new byte[0]));
        }
    }

    @Test
    void nodeIdsAreUniqueInAHub() {
        var hub = new InMemoryMessageBus.Hub();
        try (var bus = hub.join(1)) {
            assertThrows(IllegalArgumentException.class, () -> hub.join(1));
        }
    }

    @Test
    void closedNodeIsUnreachable() {
        var hub = new InMemoryMessageBus.Hub();
        try (var one = hub.join(1)) {
            hub.join(2).close();
            assertFalse(one.send(new BusAddress(2, 1), SERVICE, new byte[0]));
        }
    }
}
