package org.bladeshare.smb.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers shared by the state contract tests. */
public final class StateAssertions {
    private StateAssertions() {
    }

    /** Compares NTSTATUS values by name, so a failure reads "SHARING_VIOLATION but was SUCCESS". */
    public static void assertStatus(int expected, int actual) {
        assertEquals(StateStatus.name(expected), StateStatus.name(actual));
    }

    public static void assertStatus(int expected, int actual, String message) {
        assertEquals(StateStatus.name(expected), StateStatus.name(actual), message);
    }

    /** An owner on node {@code node}, connection 10*node, session 100*node, with open id {@code openId}. */
    public static OpenOwner owner(int node, long openId) {
        return new OpenOwner(node, 10L * node, 100L * node, openId);
    }
}
