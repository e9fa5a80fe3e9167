package org.bladeshare.cluster.wire;

import java.io.IOException;

/** A message that cannot be decoded: wrong protocol version, unknown type, or truncated. */
public final class WireFormatException extends IOException {
    public WireFormatException(String message) {
        super(message);
    }
}
