package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.TreeConnect;

import java.util.Locale;

/** SMB2 TREE_CONNECT ([MS-SMB2] 3.3.5.7): looks the share up in the registry; IPC$ is a pipe share. */
final class TreeConnectHandler implements CommandHandler {
    static final String IPC = "IPC$";

    @Override
    public boolean needsTree() {
        return false;
    }

    @Override
    public void handle(Request req, ByteBuf out) {
        var r = TreeConnect.Request.decode(req.message);
        String path = r.path();
        int slash = path.lastIndexOf('\\');
        String name = slash >= 0 ? path.substring(slash + 1) : path;
        if (name.isEmpty() || (path.startsWith("\\\\") && path.indexOf('\\', 2) < 0)) {
            throw new NtStatusException(NtStatus.BAD_NETWORK_NAME, "no share in " + path);
        }
        Session s = req.session;
        Tree tree;
        if (name.toUpperCase(Locale.ROOT).equals(IPC)) {
            tree = new Tree(s.allocateTreeId(), IPC, null, null, true, false);
        } else {
            if (s.anonymous) {
                throw new NtStatusException(NtStatus.ACCESS_DENIED, "anonymous sessions reach IPC$ only");
            }
            ShareConfig share = req.server().findShare(name, s)
                .orElseThrow(() -> new NtStatusException(NtStatus.BAD_NETWORK_NAME, "no share " + name));
            boolean canEncrypt = req.connection.cipher != null && req.connection.dialect.isSmb3();
            if (share.encrypt() && !canEncrypt) {
                throw new NtStatusException(NtStatus.ACCESS_DENIED, "share requires encryption");
            }
            org.bladeshare.smb.vfs.Vfs vfs;
            try {
                vfs = req.server().vfsFor(share);
            } catch (java.io.UncheckedIOException e) {
                throw new NtStatusException(NtStatus.BAD_NETWORK_NAME, "share " + name + " has no usable directory: "
                    + e.getCause().getMessage());
            }
            tree = new Tree(s.allocateTreeId(), share.name(), share, vfs, share.readOnly(), share.encrypt());
        }
        s.trees.put(tree.id(), tree);
        req.tree = tree;
        int maximal = tree.readOnly() ? AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_EXECUTE
            : AccessMask.FILE_ALL_ACCESS;
        int flags = tree.encrypt() ? TreeConnect.SHAREFLAG_ENCRYPT_DATA : 0;
        if (tree.isPipe()) {
            flags |= TreeConnect.SHAREFLAG_NO_CACHING;
        }
        new TreeConnect.Response(tree.isPipe() ? TreeConnect.SHARE_TYPE_PIPE : TreeConnect.SHARE_TYPE_DISK, flags, 0,
            maximal).encode(out);
    }
}
