package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.dtyp.Guid;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.fscc.Fsctl;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Ioctl;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SMB2 IOCTL ([MS-SMB2] 3.3.5.15): VALIDATE_NEGOTIATE_INFO, pipe transceive; others refused. */
final class IoctlHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) throws java.io.IOException {
        var r = Ioctl.Request.decode(req.message);
        if ((r.flags() & Ioctl.FLAG_IS_FSCTL) == 0) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED, "IOCTL without FSCTL flag");
        }
        boolean handleFree = r.ctlCode() == Fsctl.VALIDATE_NEGOTIATE_INFO || r.ctlCode() == Fsctl.DFS_GET_REFERRALS
            || r.ctlCode() == Fsctl.DFS_GET_REFERRALS_EX || r.ctlCode() == Fsctl.QUERY_NETWORK_INTERFACE_INFO;
        if (!handleFree) {
            req.open(r.fileId()); // a closed or unknown handle is reported before an unknown control code
        }
        switch (r.ctlCode()) {
            case Fsctl.VALIDATE_NEGOTIATE_INFO -> validateNegotiate(req, r, out);
            case Fsctl.PIPE_TRANSCEIVE -> {
                Open open = req.open(r.fileId());
                if (open.pipe == null) {
                    throw new NtStatusException(NtStatus.NOT_SUPPORTED, "not a pipe");
                }
                open.pipe.write(r.input());
                byte[] reply = open.pipe.read((int) Math.min(r.maxOutputResponse(), ServerContext.MAX_IO_SIZE));
                if (open.pipe.available() > 0) {
                    req.status = NtStatus.BUFFER_OVERFLOW; // [MS-SMB2] 3.3.5.15.1: the rest is read with READ
                }
                new Ioctl.Response(r.ctlCode(), open.fileId(), reply).encode(out);
            }
            case Fsctl.CREATE_OR_GET_OBJECT_ID -> objectId(req, r, out);
            case Fsctl.DFS_GET_REFERRALS, Fsctl.DFS_GET_REFERRALS_EX ->
                throw new NtStatusException(NtStatus.FS_DRIVER_REQUIRED, "no DFS");
            default -> throw new NtStatusException(NtStatus.NOT_SUPPORTED,
                String.format("FSCTL 0x%08X", r.ctlCode()));
        }
    }

    @Override
    public boolean needsTree() {
        return true;
    }

    /**
     * [MS-FSCC] 2.3.7: FILE_OBJECTID_BUFFER (64 bytes). The object id is derived from the file's
     * stable identity (device and inode), so it is the same on every call and every node.
     */
    private static void objectId(Request req, Ioctl.Request r, ByteBuf out) throws java.io.IOException {
        Open open = req.open(r.fileId());
        if (open.pipe != null) {
            throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, "object id of a pipe");
        }
        if (r.maxOutputResponse() < 64) {
            throw new NtStatusException(NtStatus.BUFFER_TOO_SMALL);
        }
        var st = Handlers.stat(open);
        byte[] buffer = new byte[64];
        java.nio.ByteBuffer.wrap(buffer).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(st.device())
            .putLong(st.fileId());
        new Ioctl.Response(r.ctlCode(), open.fileId(), buffer).encode(out);
    }

    /** [MS-SMB2] 3.3.5.15.12: the client checks that nobody tampered with the negotiation. */
    private static void validateNegotiate(Request req, Ioctl.Request r, ByteBuf out) {
        SmbConnection c = req.connection;
        ByteBuf in = Unpooled.wrappedBuffer(r.input());
        if (in.readableBytes() < 24) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "short VALIDATE_NEGOTIATE_INFO");
        }
        int caps = in.readIntLE();
        UUID guid = Guid.read(in);
        int mode = in.readUnsignedShortLE();
        int count = in.readUnsignedShortLE();
        if (in.readableBytes() < count * 2) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "short dialect list");
        }
        List<Integer> dialects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            dialects.add(in.readUnsignedShortLE());
        }
        // [MS-SMB2] 3.3.5.15.12: the greatest common dialect must be the one in use; the client's
        // GUID, security mode and capabilities are known only when it negotiated in SMB2.
        int greatest = -1;
        for (int d : dialects) {
            if (org.bladeshare.smb.smb2.Dialect.of(d) != null) {
                greatest = Math.max(greatest, d);
            }
        }
        boolean tampered = greatest != c.dialect.code();
        if (c.clientGuid != null) {
            tampered |= caps != c.clientCapabilities || !guid.equals(c.clientGuid) || mode != c.clientSecurityMode;
        }
        if (tampered) {
            c.disconnect("VALIDATE_NEGOTIATE_INFO mismatch");
            throw new NtStatusException(NtStatus.ACCESS_DENIED, "negotiation was tampered with");
        }
        ByteBuf o = org.bladeshare.smb.smb2.HeapBuffers.scratch(24);
        o.writeIntLE(c.serverCapabilities);
        Guid.write(o, req.server().config.serverGuid());
        o.writeShortLE(c.serverSecurityMode);
        o.writeShortLE(c.dialect.code());
        byte[] bytes = new byte[o.readableBytes()];
        o.readBytes(bytes);
        new Ioctl.Response(r.ctlCode(), FileId.RELATED, bytes).encode(out);
    }
}
