package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

/** SMB2 OPLOCK_BREAK acknowledgement ([MS-SMB2] 3.3.5.22): no oplock or lease is ever granted. */
final class OplockBreakHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) {
        throw new NtStatusException(NtStatus.INVALID_OPLOCK_PROTOCOL, "no oplock was granted");
    }
}
