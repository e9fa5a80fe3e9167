package org.bladeshare.smb.state;

/**
 * A lease asked for in CREATE ([MS-SMB2] 2.2.13.2.8 v1, 2.2.13.2.10 v2): key, the file and path the
 * open resolved to, the opening owner, the state asked for, the state the other opens allow
 * ({@link LeaseRules#grantableForOpen}), the version and, for v2, the client's epoch.
 */
public record LeaseRequest(LeaseKey key, FileKey file, String path, OpenOwner holder, int requestedState,
                           int allowedState, int version, int clientEpoch) {
}
