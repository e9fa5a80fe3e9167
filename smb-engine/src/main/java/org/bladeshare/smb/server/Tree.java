package org.bladeshare.smb.server;

import org.bladeshare.smb.vfs.Vfs;

/** A tree connect: a session's connection to one share ([MS-SMB2] 3.3.1.9). Pipe trees have no VFS. */
public record Tree(int id, String shareName, ShareConfig share, Vfs vfs, boolean readOnly, boolean encrypt) {
    public boolean isPipe() {
        return vfs == null;
    }
}
