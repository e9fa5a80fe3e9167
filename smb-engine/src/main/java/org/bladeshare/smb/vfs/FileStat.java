package org.bladeshare.smb.vfs;

import org.bladeshare.smb.fscc.FileAttributes;

/**
 * What the engine knows about a file system object; times are FILETIMEs ([MS-DTYP] 2.3.3).
 *
 * @param dosAttributes [MS-FSCC] 2.6 attribute bits, DIRECTORY included for directories
 * @param device        the device the file lives on; with {@code fileId} (the inode) a stable identity
 */
public record FileStat(boolean directory, long size, long allocationSize, long creationTime, long lastAccessTime,
                       long lastWriteTime, long changeTime, long fileId, int links, int dosAttributes, long device) {

    /** Attributes as the wire wants them: NORMAL alone when no other bit is set. */
    public int wireAttributes() {
        return dosAttributes == 0 ? FileAttributes.NORMAL : dosAttributes;
    }
}
