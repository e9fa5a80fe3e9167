package org.bladeshare.smb.server;

import org.bladeshare.smb.auth.SpnegoAcceptor;
import org.bladeshare.smb.transport.SigningAlgorithm;

/**
 * One connection a session is reachable on ([MS-SMB2] 3.3.1.14 Channel): the connection, and
 * the signing key and algorithm used for this session's messages on it. A channel being bound
 * ([MS-SMB2] 3.3.5.5.2) has no key yet; it carries its own authentication exchange and
 * preauth integrity hash until the binding completes.
 */
final class SessionChannel {
    final SmbConnection connection;
    /** Channel.SigningKey; null while the binding is in progress. */
    volatile byte[] signingKey;
    /** The connection's negotiated signing algorithm ([MS-SMB2] 3.3.5.5.3). */
    volatile SigningAlgorithm signingAlgorithm;
    /** The binding's authentication exchange and its 3.1.1 preauth hash (binding only). */
    SpnegoAcceptor bindingAcceptor;
    byte[] bindingPreauthHash;

    SessionChannel(SmbConnection connection) {
        this.connection = connection;
    }

    boolean established() {
        return signingKey != null;
    }
}
