package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.smb2.Flush;

import java.io.IOException;

/** SMB2 FLUSH ([MS-SMB2] 3.3.5.11): forces the file's data to stable storage. */
final class FlushHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) throws IOException {
        var r = Flush.Request.decode(req.message);
        Open open = req.open(r.fileId());
        if (open.channel != null) {
            open.channel.force(true);
        }
        out.writeShortLE(4);
        out.writeShortLE(0);
    }
}
