package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.smb2.SimpleMessage;

/** SMB2 LOGOFF ([MS-SMB2] 3.3.5.6): ends the session on every channel, closing its opens. */
final class LogoffHandler implements CommandHandler {
    @Override
    public boolean needsTree() {
        return false;
    }

    @Override
    public void handle(Request req, ByteBuf out) {
        SimpleMessage.decode(req.message, "LOGOFF");
        Session s = req.session;
        // [MS-SMB2] 3.3.5.6: the session is gone, whichever channel the LOGOFF came on; its record
        // stays (EXPIRED) on its connections so later requests get a signed USER_SESSION_DELETED, as Samba answers.
        SessionSetupHandler.end(req.connection, s);
        SimpleMessage.encode(out);
        // The response is still signed with the session's keys: s stays attached to the request.
    }
}
