/**
 * The clustered databases, with CTDB's three kinds.
 *
 * <ul>
 * <li>{@link org.bladeshare.cluster.db.PersistentDb}: CTDB's persistent-database design
 * rather than Raft. A write goes to the coordinator, which numbers it with the database's
 * next sequence number and commits it on every member (one MapDB transaction each) before
 * answering; after any membership change the coordinator, holding the recovery lock, copies
 * the highest-numbered copy to every member. Chosen over jgroups-raft because it needs no
 * majority: a 2-node cluster keeps writing when one node dies (the recovery lock on the
 * shared filesystem, not a quorum, guards against split brain), every read is local, and
 * membership is the one JGroups view the volatile databases use too.</li>
 * <li>{@link org.bladeshare.cluster.db.VolatileDb}: records with an RSN/DMASTER header that
 * migrate to the node using them (LMASTER by hashing over the active nodes); rebuilt by
 * recovery from the highest RSN; in memory only, as CTDB wipes them at start.</li>
 * <li>{@link org.bladeshare.cluster.db.ReplicatedDb}: small last-writer-wins state on every
 * node, no transaction.</li>
 * </ul>
 */
package org.bladeshare.cluster.db;
