package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.smb2.SimpleMessage;

/** SMB2 TREE_DISCONNECT ([MS-SMB2] 3.3.5.8). */
final class TreeDisconnectHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) {
        SimpleMessage.decode(req.message, "TREE_DISCONNECT");
        Handlers.closeOpens(req.connection, req.session, req.tree);
        req.session.trees.remove(req.tree.id());
        SimpleMessage.encode(out);
    }
}
