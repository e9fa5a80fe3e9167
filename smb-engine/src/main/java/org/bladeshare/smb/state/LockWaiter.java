package org.bladeshare.smb.state;

/** A pending lock of a file that the table granted (or dropped): the engine completes its async request. */
public record LockWaiter(FileKey file, PendingLock lock) {
}
