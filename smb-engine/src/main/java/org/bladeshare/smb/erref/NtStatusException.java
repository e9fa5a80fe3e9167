package org.bladeshare.smb.erref;

/** A request failed with an NTSTATUS; the dispatcher turns it into an SMB2 ERROR response. */
public class NtStatusException extends RuntimeException {
    private final int status;

    public NtStatusException(int status) {
        this(status, NtStatus.name(status));
    }

    public NtStatusException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
