package org.bladeshare.smb.auth;

/** The token could not be parsed at all; SESSION_SETUP answers STATUS_INVALID_PARAMETER, not LOGON_FAILURE. */
public class MalformedTokenException extends AuthException {
    public MalformedTokenException(String message) {
        super(message);
    }
}
