/**
 * The engine's shared-state ports: open files and share modes ({@link org.bladeshare.smb.state.ShareModeTable}),
 * byte-range locks ({@link org.bladeshare.smb.state.ByteRangeLockTable}), leases
 * ({@link org.bladeshare.smb.state.LeaseTable}), durable handles
 * ({@link org.bladeshare.smb.state.DurableHandleTable}), a message bus between nodes
 * ({@link org.bladeshare.smb.state.MessageBus}) and per-session limits
 * ({@link org.bladeshare.smb.state.SessionLimits}), with single-node in-memory implementations
 * ({@link org.bladeshare.smb.state.SharedState#inMemory}).
 *
 * <h2>Shape</h2>
 * Every table is a set of records keyed by a short string ({@link org.bladeshare.smb.state.FileKey#key()},
 * {@link org.bladeshare.smb.state.LeaseKey#key()}, {@link org.bladeshare.smb.state.DurableKey#key()}) whose
 * value encodes to bytes, and every operation reads and rewrites ONE record atomically through a
 * {@link org.bladeshare.smb.state.RecordStore} (CTDB's fetch-locked, modify, store); bulk operations
 * (dead node, logoff, expiry) are atomic per record. The rules ([MS-FSA] share access, lock
 * conflicts, break levels, reconnect checks) are pure functions over decoded records, so a clustered
 * store answers exactly as the in-memory one: {@code new RecordShareModeTable(store)} over a
 * {@code RecordStore} backed by a volatile database is the whole clustered table. Owners are data
 * ({@link org.bladeshare.smb.state.OpenOwner}: node, connection, session, persistent open id);
 * cross-node notices go through the bus to {@code owner.address()}.
 *
 * <h2>Wiring guide for the handlers</h2>
 * <ul>
 * <li><b>CREATE</b> ([MS-SMB2] 3.3.5.9): {@code usage.tryAcquire(OPENS)}; with DH2Q first
 * {@code durableHandles.checkReplay}; then {@code rec = shareModes.get(file)}, read the states of the
 * leases in {@code rec}, {@code LeaseRules.forNewOpen(rec, states, myLease, access, violation, overwrite)}
 * (violation = {@code ShareAccess.check(...) == SHARING_VIOLATION}); for each break call
 * {@code shareModes.startOplockBreak} / {@code leases.startBreak} with a deadline (Windows waits 35 s,
 * [MS-SMB2] 3.3.2.1 Oplock Break Acknowledgment Timer) and send the returned notice to {@code notice.owner().address()}
 * / {@code address()} on the bus (local node: deliver directly); wait (asynchronously, STATUS_PENDING
 * interim) until the record changes or the deadline, then {@code shareModes.tryAddOpen} (SUCCESS,
 * SHARING_VIOLATION or DELETE_PENDING). After the file is open: oplock via
 * {@code shareModes.grantOplock(file, id, requested, OplockRules.ceiling(otherHandleLease, hasLocks))},
 * lease via {@code leases.requestLease(new LeaseRequest(..., LeaseRules.grantableForOpen(rec, key, req,
 * hasLocks), ...))} (INVALID_PARAMETER: the key covers another file) and {@code OpenEntry.withLease} on
 * the entry; FILE_DELETE_ON_CLOSE: {@code setDeleteOnClose}; durable: {@code durableHandles.register}.</li>
 * <li><b>CREATE with DHnC/DH2C</b> (3.3.5.9.7 / 3.3.5.9.12): {@code durableHandles.reconnect(...)}; on
 * success {@code shareModes.reassignOpen}, {@code locks.reassignOpen}, {@code leases.reassignHolder}
 * with the new owner (if the share-mode entry is gone because its node died, re-add it from the
 * handle with {@code tryAddOpen}); on {@code expired} close it as below.</li>
 * <li><b>READ / WRITE</b>: {@code locks.checkIo(file, openId, offset, length, write)} (FILE_LOCK_CONFLICT);
 * a WRITE also breaks level II oplocks / R leases of other opens ({@code OplockRules.breakToForWrite},
 * {@code LeaseRules.breakToForWrite}).</li>
 * <li><b>LOCK</b> (3.3.5.14): unlock → {@code locks.unlock}; lock → {@code locks.lock(file, owner, requests,
 * blocking ? Optional.of(asyncId) : Optional.empty())} after {@code usage.tryAcquire(PENDING_LOCKS)} for
 * a blocking one; PENDING → send the interim response and keep the request under its AsyncId. Every
 * {@code UnlockResult.granted()} waiter: complete its request with SUCCESS (send it over the bus when
 * {@code lock.owner().node()} is another node); {@code dropped()} ones with the status of the close.</li>
 * <li><b>CANCEL</b>: {@code locks.cancel(file, node, connectionId, asyncId)} → STATUS_CANCELLED.</li>
 * <li><b>CLOSE</b>: {@code locks.releaseOpen}, {@code leases.releaseHolder}, {@code durableHandles.remove},
 * then {@code shareModes.removeOpen}; delete the file when {@code deleteFile()}.</li>
 * <li><b>SET_INFO FileDispositionInformation</b>: {@code shareModes.setDeletePending}.</li>
 * <li><b>OPLOCK_BREAK acknowledgement</b> (3.3.5.22): {@code shareModes.acknowledgeOplockBreak} or
 * {@code leases.acknowledge}; a timer calls {@code expireOplockBreaks(now)} / {@code expireBreaks(now)}
 * and retries the waiting CREATEs.</li>
 * <li><b>LOGOFF / TREE_DISCONNECT / connection lost</b>: durable opens → {@code durableHandles.disconnect};
 * others → close as above; or in bulk with {@link org.bladeshare.smb.state.OwnerFilter}
 * ({@code releaseOwners}, {@code removeOwners}, {@code disconnectOwners}). A dead node: the same
 * with {@code OwnerFilter.node(n)}. A timer calls {@code durableHandles.expire(now)}.</li>
 * </ul>
 */
package org.bladeshare.smb.state;
