package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.smb2.ErrorResponse;
import org.bladeshare.smb.smb2.Smb2Header;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A request answered later ([MS-SMB2] 3.3.4.2): the client got an interim STATUS_PENDING with
 * this AsyncId; {@link #complete} sends the final response, {@link #cancel} answers CANCELLED.
 */
public final class AsyncOp {
    final long asyncId;
    final SmbConnection connection;
    final Session session;
    final Session encryptedBy;
    final int command;
    final long messageId;
    final int creditCharge;
    final boolean requestSigned;
    private final Runnable onCancel;
    private final AtomicBoolean done = new AtomicBoolean();

    AsyncOp(long asyncId, Request req, Runnable onCancel) {
        this.asyncId = asyncId;
        this.connection = req.connection;
        this.session = req.session;
        this.encryptedBy = req.encryptedBy;
        this.command = req.header.command();
        this.messageId = req.header.messageId();
        this.creditCharge = req.header.creditCharge();
        this.requestSigned = req.header.isSigned();
        this.onCancel = onCancel;
    }

    /** Run once when the operation ends, however it ends (completed, cancelled or abandoned). */
    private final java.util.concurrent.atomic.AtomicReference<Runnable> whenDone =
        new java.util.concurrent.atomic.AtomicReference<>();

    /** Sets what to run once this operation ends, e.g. giving back a per-session limit unit. */
    void whenDone(Runnable action) {
        whenDone.set(action);
        if (done.get()) {
            runWhenDone();
        }
    }

    private void runWhenDone() {
        Runnable r = whenDone.getAndSet(null);
        if (r != null) {
            r.run();
        }
    }

    public boolean isDone() {
        return done.get();
    }

    /** Sends the final response once (later calls do nothing); {@code body} writes the response body. */
    public void complete(int status, Consumer<ByteBuf> body) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        connection.asyncOps.remove(asyncId);
        runWhenDone();
        connection.serial.execute(() -> {
            try {
                if (connection.channel == null || !connection.channel.isActive()) {
                    return;
                }
                ByteBuf out = connection.channel.alloc().buffer(256);
                new Smb2Header(creditCharge, status, command, 0,
                    Smb2Header.FLAG_SERVER_TO_REDIR | Smb2Header.FLAG_ASYNC, 0, messageId, asyncId, 0, session.id,
                    null).encode(out);
                if (NtStatus.isError(status) && status != NtStatus.NOTIFY_ENUM_DIR) {
                    ErrorResponse.encode(out);
                } else {
                    body.accept(out);
                }
                Session signer = encryptedBy == null && session.canSign()
                    && (requestSigned || session.signingRequired) ? session : null;
                connection.dispatcher.sendOne(connection, out, signer, encryptedBy);
            } finally {
                java.util.function.IntConsumer then = afterFinal;
                if (then != null) {
                    then.accept(status);
                }
            }
        });
    }

    /**
     * Run on the connection's serial executor once the final response is sent (or the connection
     * is gone), with its status: the rest of a compound chain that waited for this CREATE.
     */
    volatile java.util.function.IntConsumer afterFinal;

    /**
     * Withdraws the operation before any interim response went out: stops the work and sends
     * nothing (the caller answers in the request's own response). False if it already completed.
     */
    boolean abandon() {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        connection.asyncOps.remove(asyncId);
        onCancel.run();
        runWhenDone();
        return true;
    }

    /** [MS-SMB2] 3.3.5.16: the client cancelled; stop the work and answer STATUS_CANCELLED. */
    public void cancel() {
        if (!done.get()) {
            onCancel.run();
            complete(NtStatus.CANCELLED, b -> { });
        }
    }
}
