package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.smb2.SimpleMessage;

/** SMB2 ECHO ([MS-SMB2] 3.3.5.17). */
final class EchoHandler implements CommandHandler {
    @Override
    public boolean needsSession() {
        return false;
    }

    @Override
    public boolean needsTree() {
        return false;
    }

    @Override
    public void handle(Request req, ByteBuf out) {
        SimpleMessage.decode(req.message, "ECHO");
        SimpleMessage.encode(out);
    }
}
