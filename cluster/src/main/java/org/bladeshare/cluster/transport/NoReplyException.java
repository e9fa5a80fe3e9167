package org.bladeshare.cluster.transport;

import org.jgroups.Address;

import java.util.concurrent.TimeoutException;

/** A member did not answer a request in time; names the member. */
public final class NoReplyException extends TimeoutException {
    private final transient Address node;

    public NoReplyException(Address node) {
        super("no reply from " + node + " in time");
        this.node = node;
    }

    public Address node() {
        return node;
    }
}
