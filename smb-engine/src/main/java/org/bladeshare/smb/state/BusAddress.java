package org.bladeshare.smb.state;

/** A client connection somewhere in the cluster: the node (server id) that holds it and its id there. */
public record BusAddress(int node, long connectionId) {
}
