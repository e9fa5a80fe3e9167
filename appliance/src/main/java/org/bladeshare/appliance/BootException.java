package org.bladeshare.appliance;

/**
 * A failure the operator can fix, told in one sentence: a port in use, an unwritable data
 * directory, a bad flag value. The launcher prints the message alone (no stack trace) and
 * exits with status 2.
 */
public final class BootException extends Exception {
    public BootException(String sentence) {
        super(sentence);
    }

    public BootException(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}
