package org.bladeshare.smb.auth;

/** Authentication failed or the token was malformed; SESSION_SETUP answers STATUS_LOGON_FAILURE. */
public class AuthException extends RuntimeException {
    public AuthException(String message) {
        super(message, null, false, false);
    }
}
