package org.bladeshare.smb.rpc;

/**
 * A named pipe served in-process (an RPC endpoint such as srvsvc). Requests go in with
 * {@link #write}, replies come out with {@link #read}; a transceive is a write then a read.
 */
public interface PipeEndpoint {
    /** Takes bytes the client wrote (one or more PDUs, possibly partial). */
    void write(byte[] input);

    /** Returns up to {@code max} bytes of pending reply (empty when none). */
    byte[] read(int max);

    /** Bytes of reply still waiting to be read. */
    int available();
}
