package org.bladeshare.smb.state;

/** A stored record could not be decoded: truncated, trailing bytes, unknown version or a count out of range. */
public final class StateCodecException extends IllegalArgumentException {
    public StateCodecException(String message) {
        super(message);
    }
}
