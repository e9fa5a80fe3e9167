package org.bladeshare.cluster.transport;

import java.io.IOException;

/** The node a request went to left the membership view before it answered. */
public final class MemberLeftException extends IOException {
    public MemberLeftException(String message) {
        super(message);
    }
}
