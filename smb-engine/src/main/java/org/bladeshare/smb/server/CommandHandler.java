package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;

/** One SMB2 command, like Samba's smb2_*.c: decode the request, act, write the response body. */
public interface CommandHandler {
    /**
     * Writes the response body to {@code out} (positioned just after the 64-byte header). Failures
     * throw {@link org.bladeshare.smb.erref.NtStatusException}; warnings set {@link Request#status}.
     */
    void handle(Request request, ByteBuf out) throws Exception;

    /** Whether the command needs a valid session, and a tree connect. */
    default boolean needsSession() {
        return true;
    }

    default boolean needsTree() {
        return true;
    }
}
