package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.smb2.SimpleMessage;

/** SMB2 LOGOFF ([MS-SMB2] 3.3.5.6): closes the session's opens and forgets it. */
final class LogoffHandler implements CommandHandler {
    @Override
    public boolean needsTree() {
        return false;
    }

    @Override
    public void handle(Request req, ByteBuf out) {
        SimpleMessage.decode(req.message, "LOGOFF");
        Session s = req.session;
        Handlers.closeOpens(req.connection, s, null);
        s.trees.clear();
        // [MS-SMB2] 3.3.5.6: the session is gone; its record stays (EXPIRED) until the connection
        // closes so that later requests get a signed STATUS_USER_SESSION_DELETED, as Samba answers.
        s.state = Session.State.EXPIRED;
        SimpleMessage.encode(out);
        // The response is still signed with the session's keys: s stays attached to the request.
    }
}
