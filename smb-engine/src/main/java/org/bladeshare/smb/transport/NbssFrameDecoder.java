package org.bladeshare.smb.transport;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Direct-TCP framing ([MS-SMB2] 2.1): a zero byte and a 24-bit big-endian length before each
 * SMB2 message (or compound chain, or transform). Emits the message without the 4-byte header.
 * Socket reads are gathered as components, not merged: a 1 MiB WRITE arrives in several reads,
 * and merging would copy it about twice while the buffer doubles.
 */
public final class NbssFrameDecoder extends LengthFieldBasedFrameDecoder {
    /** MaxTransactSize (8 MiB: IOCTL, QUERY_INFO, SET_INFO buffers) plus headers, transforms and compound padding. */
    public static final int MAX_FRAME = 8 * 1024 * 1024 + 64 * 1024;

    public NbssFrameDecoder() {
        super(MAX_FRAME, 1, 3, 0, 4);
        setCumulator(COMPOSITE_CUMULATOR);
    }
}
