package org.bladeshare.smb.server;

import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.rpc.PipeEndpoint;
import org.bladeshare.smb.vfs.DirEntry;

import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** An open file or directory ([MS-SMB2] 3.3.1.10). Mutable state is touched by one request at a time. */
public final class Open {
    final FileId fileId;
    final Session session;
    final Tree tree;
    volatile String path;
    final boolean directory;
    final FileChannel channel;
    /** Held while a WRITE copies into the file ({@link WriteHandler}). */
    final ReentrantLock writing = new ReentrantLock();
    final int grantedAccess;
    volatile boolean deleteOnClose;
    /** CurrentByteOffset ([MS-FSA] 2.1.1.5): moved by synchronous reads and writes, and by SET_INFO. */
    volatile long position;
    /** The pipe endpoint when this open is a named pipe on IPC$. */
    final PipeEndpoint pipe;
    /** The file's identity in the share-mode and lock tables, and this open's owner there (null for pipes). */
    org.bladeshare.smb.state.FileKey fileKey;
    org.bladeshare.smb.state.OpenOwner owner;
    /** CHANGE_NOTIFY state, created by the first notify request on this open. */
    ChangeNotifyHandler.Watch watch;
    /** Set by a WRITE: the close reports the change to CHANGE_NOTIFY (as Samba does at close). */
    volatile boolean written;
    /** Open.ResumeKey ([MS-SMB2] 3.3.5.15.5), made by the first FSCTL_SRV_REQUEST_RESUME_KEY. */
    volatile byte[] resumeKey;
    /** Open.LockSequenceArray ([MS-SMB2] 3.3.5.14), created by the first LOCK that verifies sequences. */
    LockSequences lockSequences;
    // QUERY_DIRECTORY enumeration state ([MS-SMB2] 3.3.5.18)
    List<DirEntry> listing;
    int cursor;
    String pattern;

    Open(FileId fileId, Session session, Tree tree, String path, boolean directory, FileChannel channel,
         int grantedAccess, PipeEndpoint pipe) {
        this.fileId = fileId;
        this.session = session;
        this.tree = tree;
        this.path = path;
        this.directory = directory;
        this.channel = channel;
        this.grantedAccess = grantedAccess;
        this.pipe = pipe;
    }

    public FileId fileId() {
        return fileId;
    }

    public String path() {
        return path;
    }
}
