package org.bladeshare.cluster.wire;

/**
 * One message on the wire: the body with its correlation id. {@code requestId} 0 marks a
 * one-way message; a reply carries the id of the request it answers.
 */
public record Envelope(long requestId, boolean reply, WireMessage body) {
    public Envelope {
        if (body == null) {
            throw new IllegalArgumentException("an envelope needs a body");
        }
    }
}
