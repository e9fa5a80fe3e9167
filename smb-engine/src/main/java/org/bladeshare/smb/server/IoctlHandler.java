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

/** SMB2 IOCTL ([MS-SMB2] 3.3.5.15): VALIDATE_NEGOTIATE_INFO, pipe transceive, object ids, server-side copy; others refused. */
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
            case Fsctl.GET_COMPRESSION -> getCompression(req, r, out);
            case Fsctl.SET_COMPRESSION -> setCompression(req, r, out);
            case Fsctl.QUERY_NETWORK_INTERFACE_INFO -> new Ioctl.Response(r.ctlCode(), FileId.RELATED,
                NetworkInterfaces.describe(req.server().config.bind(), r.maxOutputResponse())).encode(out);
            case Fsctl.SRV_REQUEST_RESUME_KEY -> ServerSideCopy.requestResumeKey(req, r, out);
            case Fsctl.SRV_COPYCHUNK, Fsctl.SRV_COPYCHUNK_WRITE -> ServerSideCopy.copyChunks(req, r, out);
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

    /**
     * FSCTL_GET_COMPRESSION ([MS-FSCC] 2.3.12): no file here is compressed (the volume does not
     * offer FILE_FILE_COMPRESSION), so the state is always COMPRESSION_FORMAT_NONE.
     */
    private static void getCompression(Request req, Ioctl.Request r, ByteBuf out) {
        Open open = req.open(r.fileId());
        if (open.pipe != null) {
            throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, "compression of a pipe");
        }
        if (r.maxOutputResponse() < 2) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "no room for COMPRESSION_STATE");
        }
        new Ioctl.Response(r.ctlCode(), open.fileId(), new byte[]{Fsctl.COMPRESSION_FORMAT_NONE, 0}).encode(out);
    }

    /** FSCTL_SET_COMPRESSION ([MS-FSCC] 2.3.67): turning compression off is a no-op; turning it on is not supported. */
    private static void setCompression(Request req, Ioctl.Request r, ByteBuf out) {
        Open open = req.open(r.fileId());
        if (open.pipe != null) {
            throw new NtStatusException(NtStatus.INVALID_DEVICE_REQUEST, "compression of a pipe");
        }
        if (r.input().length < 2) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "no COMPRESSION_STATE");
        }
        Handlers.requireAccess(open, AccessMask.FILE_WRITE_DATA); // as Windows: write-attributes is not enough
        int format = (r.input()[0] & 0xFF) | (r.input()[1] & 0xFF) << 8;
        switch (format) {
            case Fsctl.COMPRESSION_FORMAT_NONE -> new Ioctl.Response(r.ctlCode(), open.fileId(), new byte[0]).encode(out);
            case Fsctl.COMPRESSION_FORMAT_DEFAULT, Fsctl.COMPRESSION_FORMAT_LZNT1 ->
                throw new NtStatusException(NtStatus.NOT_SUPPORTED, "files are not compressed here");
            default -> throw new NtStatusException(NtStatus.INVALID_PARAMETER, "unknown compression format " + format);
        }
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
