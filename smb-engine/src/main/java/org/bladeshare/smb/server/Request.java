package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Smb2Header;

import java.util.function.Consumer;

/** One SMB2 request being served: its header, message bytes, resolved session and tree, and results. */
public final class Request {
    public final SmbConnection connection;
    public final Smb2Header header;
    /** The whole message (header first); the reader index is at the body. */
    public final ByteBuf message;
    /** Session whose keys decrypted this request, or null when it came in the clear. */
    public final Session encryptedBy;
    final Chain chain;
    Session session;
    Tree tree;
    /** Status of the response; handlers set warnings such as BUFFER_OVERFLOW here. */
    public int status = NtStatus.SUCCESS;
    long responseSessionId;
    /** Set by SESSION_SETUP when the final response must be signed with the new keys. */
    boolean signWithNewSession;
    /** Set when the handler will answer later: the dispatcher sends an interim response. */
    AsyncOp async;
    /** Called with the response message as it is sent (signed, not yet encrypted), e.g. for the preauth integrity hash. */
    Consumer<ByteBuf> afterEncode;
    /**
     * Data that follows the encoded response body (a large READ's pooled buffers), sent without
     * being copied into the response buffer; the dispatcher takes ownership.
     */
    ByteBuf payload;

    /** State carried along a compound chain ([MS-SMB2] 3.3.5.2.7.2). */
    static final class Chain {
        long sessionId;
        int treeId;
        FileId fileId;
        int createError = NtStatus.SUCCESS;
        /** The previous request found no session: related requests after it are invalid. */
        boolean sessionFailed;
        /** The session that signed the last signed response of this chain. */
        Session lastSigner;
    }

    Request(SmbConnection connection, Smb2Header header, ByteBuf message, Session encryptedBy, Chain chain) {
        this.connection = connection;
        this.header = header;
        this.message = message;
        this.encryptedBy = encryptedBy;
        this.chain = chain;
        this.responseSessionId = header.sessionId();
    }

    /** Makes this request asynchronous ([MS-SMB2] 3.3.4.2); {@code onCancel} stops the pending work. */
    AsyncOp goAsync(Runnable onCancel) {
        return goAsync(connection.newAsyncId(), onCancel);
    }

    /** As {@link #goAsync(Runnable)} with an AsyncId allocated beforehand (e.g. recorded in a lock table). */
    AsyncOp goAsync(long asyncId, Runnable onCancel) {
        async = new AsyncOp(asyncId, this, onCancel);
        connection.asyncOps.put(async.asyncId, async);
        return async;
    }

    public Session session() {
        return session;
    }

    public Tree tree() {
        return tree;
    }

    ServerContext server() {
        return connection.server;
    }

    /** The open a request names, substituting the previous CREATE's FileId in a related chain. */
    Open open(FileId requested) {
        FileId id = requested;
        if (requested.isRelated() && header.isRelated()) {
            if (chain.fileId == null) {
                throw new NtStatusException(chain.createError != NtStatus.SUCCESS ? chain.createError
                    : NtStatus.FILE_CLOSED, "no file from the previous related request");
            }
            id = chain.fileId;
        }
        // Session.OpenTable ([MS-SMB2] 3.3.1.8): the open is found from whichever channel of its session
        Open open = session == null ? null : session.opens.get(id.volatileId());
        if (open == null || open.fileId.persistent() != id.persistent()
            || (tree != null && open.tree.id() != tree.id())) {
            throw new NtStatusException(NtStatus.FILE_CLOSED);
        }
        chain.fileId = open.fileId;
        return open;
    }
}
