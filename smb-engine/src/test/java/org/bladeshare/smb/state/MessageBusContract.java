package org.bladeshare.smb.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link MessageBus} must have: delivery to the addressed node's subscribers of
 * a service, in order, with sender and connection id; broadcast to every node; unknown nodes
 * reported. Extend it with a factory that joins {@code count} nodes (ids 1..count) in one test.
 */
public abstract class MessageBusContract {
    protected static final String SERVICE = "smb.break";
    private static final long WAIT_SECONDS = 5;
    private final List<MessageBus> opened = new ArrayList<>();

    /** Buses of {@code count} connected nodes with ids 1..count, in that order. */
    protected abstract List<MessageBus> newNodes(int count);

    private List<MessageBus> nodes(int count) {
        List<MessageBus> buses = newNodes(count);
        opened.addAll(buses);
        return buses;
    }

    @AfterEach
    public void closeBuses() {
        opened.forEach(MessageBus::close);
    }

    private static BlockingQueue<BusMessage> inbox(MessageBus bus, String service) throws Exception {
        BlockingQueue<BusMessage> q = new LinkedBlockingQueue<>();
        bus.subscribe(service, q::add);
        return q;
    }

    private static BusMessage next(BlockingQueue<BusMessage> q) throws InterruptedException {
        BusMessage m = q.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(m, "no message within " + WAIT_SECONDS + " s");
        return m;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void messageReachesTheAddressedNodeWithSenderAndConnection() throws Exception {
        List<MessageBus> n = nodes(2);
        BlockingQueue<BusMessage> at1 = inbox(n.get(0), SERVICE);
        BlockingQueue<BusMessage> at2 = inbox(n.get(1), SERVICE);
        assertEquals(1, n.get(0).localNode());
        assertTrue(n.get(0).send(new BusAddress(2, 77), SERVICE, bytes("break")));
        BusMessage m = next(at2);
        assertEquals(new BusMessage(SERVICE, 1, 77, bytes("break")), m);
        assertTrue(n.get(0).send(new BusAddress(1, 5), SERVICE, bytes("self")), "a node can send to itself");
        assertEquals(new BusMessage(SERVICE, 1, 5, bytes("self")), next(at1));
        assertTrue(at2.isEmpty() && at1.isEmpty(), "each message went to one node only");
    }

    @Test
    public void messagesFromOneSenderArriveInOrder() throws Exception {
        List<MessageBus> n = nodes(2);
        BlockingQueue<BusMessage> at2 = inbox(n.get(1), SERVICE);
        for (int i = 0; i < 100; i++) {
            n.get(0).send(new BusAddress(2, 1), SERVICE, new byte[] {(byte) i});
        }
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(new byte[] {(byte) i}, next(at2).payload());
        }
    }

    @Test
    public void broadcastReachesEveryNode() throws Exception {
        List<MessageBus> n = nodes(3);
        List<BlockingQueue<BusMessage>> inboxes = new ArrayList<>();
        for (MessageBus b : n) {
            inboxes.add(inbox(b, SERVICE));
        }
        n.get(1).broadcast(SERVICE, bytes("all"));
        for (BlockingQueue<BusMessage> q : inboxes) {
            assertEquals(new BusMessage(SERVICE, 2, BusMessage.ALL_CONNECTIONS, bytes("all")), next(q));
        }
    }

    @Test
    public void servicesAreSeparateAndUnsubscribingStopsDelivery() throws Exception {
        List<MessageBus> n = nodes(1);
        BlockingQueue<BusMessage> breaks = new LinkedBlockingQueue<>();
        AutoCloseable sub = n.get(0).subscribe(SERVICE, breaks::add);
        BlockingQueue<BusMessage> locks = inbox(n.get(0), "smb.lock");
        n.get(0).send(new BusAddress(1, 1), "smb.lock", bytes("granted"));
        assertEquals("smb.lock", next(locks).service());
        sub.close();
        n.get(0).send(new BusAddress(1, 1), SERVICE, bytes("late"));
        n.get(0).send(new BusAddress(1, 1), "smb.lock", bytes("marker"));
        assertArrayEquals(bytes("marker"), next(locks).payload());
        assertNull(breaks.poll(), "nothing delivered after unsubscribing");
    }

    @Test
    public void unknownNodeIsReportedNotThrown() {
        List<MessageBus> n = nodes(1);
        assertFalse(n.get(0).send(new BusAddress(99, 1), SERVICE, bytes("x")));
    }

    @Test
    public void badServiceOrOversizedPayloadIsRefused() {
        List<MessageBus> n = nodes(1);
        BusAddress self = new BusAddress(1, 1);
        assertThrows(IllegalArgumentException.class, () -> n.get(0).send(self, "", bytes("x")));
        assertThrows(IllegalArgumentException.class,
            () -> n.get(0).send(self, SERVICE, new byte[BusMessage.MAX_PAYLOAD + 1]));
    }

    @Test
    public void payloadIsCopiedAtSend() throws Exception {
        List<MessageBus> n = nodes(1);
        BlockingQueue<BusMessage> q = inbox(n.get(0), SERVICE);
        byte[] p = bytes("abc");
        n.get(0).send(new BusAddress(1, 1), SERVICE, p);
        p[0] = 'z';
        assertArrayEquals(bytes("abc"), next(q).payload());
    }

    @Test
    public void failingListenerDoesNotStopDelivery() throws Exception {
        List<MessageBus> n = nodes(1);
        n.get(0).subscribe(SERVICE, m -> {
            throw new IllegalStateException("listener bug");
        });
        BlockingQueue<BusMessage> q = inbox(n.get(0), SERVICE);
        n.get(0).send(new BusAddress(1, 1), SERVICE, bytes("one"));
        n.get(0).send(new BusAddress(1, 1), SERVICE, bytes("two"));
        assertArrayEquals(bytes("one"), next(q).payload());
        assertArrayEquals(bytes("two"), next(q).payload());
    }
}
