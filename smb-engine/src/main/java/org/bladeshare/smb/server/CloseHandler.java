package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.smb2.Close;
import org.bladeshare.smb.vfs.FileStat;

import java.io.IOException;

/** SMB2 CLOSE ([MS-SMB2] 3.3.5.10), with the optional post-query of attributes. */
final class CloseHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) throws IOException {
        var r = Close.Request.decode(req.message);
        Open open = req.open(r.fileId());
        FileStat st = null;
        if ((r.flags() & Close.FLAG_POSTQUERY_ATTRIB) != 0 && open.tree.vfs() != null && !open.deleteOnClose) {
            if (open.channel != null) {
                open.channel.force(false);
            }
            st = open.tree.vfs().stat(open.path).orElse(null);
        }
        Handlers.closeOpen(req.connection, open);
        if (st == null) {
            new Close.Response(0, 0, 0, 0, 0, 0, 0, 0).encode(out);
        } else {
            new Close.Response(Close.FLAG_POSTQUERY_ATTRIB, st.creationTime(), st.lastAccessTime(), st.lastWriteTime(),
                st.changeTime(), st.allocationSize(), st.size(), st.wireAttributes()).encode(out);
        }
    }
}
