package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.smb2.Dialect;

import java.nio.charset.StandardCharsets;

/**
 * The SMB1 multi-protocol NEGOTIATE a client sends first when it still speaks SMB1
 * ([MS-SMB2] 3.3.5.3.1): answered with an SMB2 NEGOTIATE response, dialect 0x02FF when the client
 * offers "SMB 2.???" (it then negotiates again in SMB2), or 2.0.2 when it offers only "SMB 2.002".
 * Anything else is refused: this server speaks no SMB1.
 */
final class Smb1Negotiate {
    private static final int SMB1_HEADER = 32;
    private static final int SMB_COM_NEGOTIATE = 0x72;

    private Smb1Negotiate() {
    }

    /** Returns null (and the caller disconnects) unless the request offers an SMB2 dialect. */
    static ByteBuf answer(SmbConnection conn, ByteBuf frame, Smb2Dispatcher dispatcher) {
        int start = frame.readerIndex();
        if (conn.dialect != null || conn.sawSmb1Negotiate || frame.readableBytes() < SMB1_HEADER + 3
            || frame.getUnsignedByte(start + 4) != SMB_COM_NEGOTIATE) {
            return null;
        }
        int byteCount = frame.getUnsignedShortLE(start + SMB1_HEADER + 1);
        int pos = start + SMB1_HEADER + 3;
        int end = Math.min(frame.writerIndex(), pos + byteCount);
        boolean wildcard = false;
        boolean smb2002 = false;
        while (pos < end) {
            if (frame.getUnsignedByte(pos) != 0x02) {
                return null;
            }
            int nul = frame.indexOf(pos + 1, end, (byte) 0);
            if (nul < 0) {
                return null;
            }
            String dialect = frame.toString(pos + 1, nul - pos - 1, StandardCharsets.US_ASCII);
            wildcard |= dialect.equals("SMB 2.???");
            smb2002 |= dialect.equals("SMB 2.002");
            pos = nul + 1;
        }
        if (!wildcard && !smb2002) {
            return null;
        }
        conn.sawSmb1Negotiate = true;
        if (!conn.credits.consume(0, 1)) {
            return null;
        }
        ByteBuf out = conn.channel.alloc().buffer(256);
        NegotiateHandler.answerSmb1(conn, wildcard ? Dialect.WILDCARD : Dialect.SMB_2_0_2.code(), out);
        conn.channel.writeAndFlush(out);
        return out;
    }
}
