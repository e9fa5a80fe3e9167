package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.OplockBreakMessage;

/** SMB2 OPLOCK_BREAK acknowledgement ([MS-SMB2] 3.3.5.22): the oplock (24-byte) and lease (36-byte) forms. */
final class OplockBreakHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) {
        int size = OplockBreakMessage.structureSize(req.message);
        if (size == OplockBreakMessage.OPLOCK_SIZE) {
            acknowledgeOplock(req, out);
        } else if (size == OplockBreakMessage.LEASE_ACK_SIZE) {
            acknowledgeLease(req, out);
        } else {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "unknown OPLOCK_BREAK size " + size);
        }
    }

    /** [MS-SMB2] 3.3.5.22.1. */
    private static void acknowledgeOplock(Request req, ByteBuf out) {
        var ack = OplockBreakMessage.Oplock.decode(req.message);
        Open open = req.open(ack.fileId());
        if (open.fileKey == null) {
            throw new NtStatusException(NtStatus.INVALID_OPLOCK_PROTOCOL, "no oplock on this open");
        }
        int status = req.server().oplocks.acknowledge(open, ack.level());
        if (status != NtStatus.SUCCESS) {
            throw new NtStatusException(status);
        }
        new OplockBreakMessage.Oplock(ack.level(), open.fileId).encode(out);
    }

    /** [MS-SMB2] 3.3.5.22.2. */
    private static void acknowledgeLease(Request req, ByteBuf out) {
        var ack = OplockBreakMessage.LeaseAck.decode(req.message);
        int status = req.server().oplocks.acknowledgeLease(req.connection, ack.leaseKey(), ack.state());
        if (status != NtStatus.SUCCESS) {
            throw new NtStatusException(status);
        }
        new OplockBreakMessage.LeaseAck(0, ack.leaseKey(), ack.state()).encode(out);
    }
}
