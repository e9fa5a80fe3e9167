package org.bladeshare.cluster.membership;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipTableTest {
    private static final List<InetSocketAddress> PEERS = List.of(
            new InetSocketAddress("127.0.0.1", 7800), new InetSocketAddress("127.0.0.2", 7800),
            new InetSocketAddress("127.0.0.3", 7800));

    @Test
    void membersAreOkOthersDisconnectedAndTheFirstMemberCoordinates() {
        List<NodeStatus> rows = MembershipTable.statuses(PEERS, 2,
                List.of(new MemberIdentity(2, "c"), new MemberIdentity(0, "a")), Map.of(1, "b"));
        assertEquals(List.of(
                new NodeStatus(0, "a", "127.0.0.1:7800", NodeState.OK, false, false),
                new NodeStatus(1, "b", "127.0.0.2:7800", NodeState.DISCONNECTED, false, false),
                new NodeStatus(2, "c", "127.0.0.3:7800", NodeState.OK, true, true)), rows);
    }

    @Test
    void aNodeNeverSeenIsNamedByItsAddress() {
        List<NodeStatus> rows = MembershipTable.statuses(PEERS, 0, List.of(new MemberIdentity(0, "a")), Map.of());
        assertEquals("127.0.0.2:7800", rows.get(1).name());
        assertTrue(rows.get(0).coordinator());
    }

    @Test
    void withNoViewNoOneCoordinates() {
        List<NodeStatus> rows = MembershipTable.statuses(PEERS, 0, List.of(), Map.of(0, "a"));
        assertTrue(rows.stream().allMatch(r -> r.state() == NodeState.DISCONNECTED));
        assertFalse(rows.stream().anyMatch(NodeStatus::coordinator));
    }

    @Test
    void identityRoundTripsThroughTheJGroupsAddress() {
        MemberIdentity id = new MemberIdentity(7, "blade8");
        assertEquals(id, MemberIdentity.of(id.newAddress()).orElseThrow());
        assertTrue(MemberIdentity.of(org.jgroups.util.UUID.randomUUID()).isEmpty());
    }

    @Test
    void adminFlagsGiveTheMostSevereState() {
        long now = System.nanoTime();
        assertEquals(NodeState.OK, AdminFlags.NONE.state(now));
        assertEquals(NodeState.DISABLED, AdminFlags.NONE.withDisabled(true).state(now));
        assertEquals(NodeState.UNHEALTHY, AdminFlags.NONE.withDisabled(true).withUnhealthy(true).state(now));
        assertEquals(NodeState.STOPPED, AdminFlags.NONE.withUnhealthy(true).withStopped(true).state(now));
        AdminFlags banned = AdminFlags.NONE.withStopped(true).withBannedUntil(now + 1_000_000_000L);
        assertEquals(NodeState.BANNED, banned.state(now));
        assertEquals(NodeState.STOPPED, banned.state(now + 2_000_000_000L), "a ban ends by itself");
        assertTrue(AdminFlags.NONE.withDisabled(true).withUnhealthy(true).active(now), "still in the databases");
        assertFalse(banned.active(now));
        List<NodeStatus> rows = MembershipTable.statuses(PEERS, 0,
                List.of(new MemberIdentity(0, "a"), new MemberIdentity(1, "b")), Map.of(),
                Map.of(1, NodeState.DISABLED));
        assertEquals(NodeState.DISABLED, rows.get(1).state());
        assertEquals(NodeState.DISCONNECTED, rows.get(2).state());
    }
}
