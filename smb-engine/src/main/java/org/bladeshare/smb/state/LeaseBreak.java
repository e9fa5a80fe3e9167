package org.bladeshare.smb.state;

/**
 * A lease break to send ([MS-SMB2] 2.2.23.2, 3.3.4.7) to {@code address}: from the current state to
 * the new one, with the new epoch; {@code ackRequired} is false when only read caching is lost, and
 * the new state then holds at once.
 */
public record LeaseBreak(LeaseKey key, FileKey file, int fromState, int toState, int newEpoch, boolean ackRequired,
                         long deadline, BusAddress address) {
}
