package org.bladeshare.cluster;

/** A cluster operation that could not be completed (no coordinator, timeout, node closed). */
public class ClusterException extends RuntimeException {
    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
