package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.dtyp.SecurityDescriptor;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.fscc.FileInfo;
import org.bladeshare.smb.fscc.FsInfo;
import org.bladeshare.smb.fscc.InfoClass;
import org.bladeshare.smb.smb2.QueryDirectory;
import org.bladeshare.smb.smb2.QueryInfo;
import org.bladeshare.smb.vfs.FileStat;

import java.io.IOException;

/** SMB2 QUERY_INFO ([MS-SMB2] 3.3.5.20): file, file-system and security information. */
final class QueryInfoHandler implements CommandHandler {
    @Override
    public void handle(Request req, ByteBuf out) throws IOException {
        var r = QueryInfo.Request.decode(req.message);
        Open open = req.open(r.fileId());
        if (r.outputBufferLength() > ServerContext.MAX_IO_SIZE) {
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "output buffer too large");
        }
        if (open.pipe != null) {
            pipeInfo(r, out);
            return;
        }
        ByteBuf data = out.alloc().buffer(256);
        try {
            boolean variable;
            switch (r.infoType()) {
                case QueryInfo.INFO_FILE -> {
                    requireAccessFor(open, r.infoClass());
                    if (r.infoClass() == InfoClass.FILE_FULL_EA_INFORMATION) {
                        fullEas(req, open, r, data);
                        QueryDirectory.encodeResponse(out, data);
                        return;
                    }
                    FileStat st = Handlers.stat(open);
                    String name = open.path.replace('/', '\\');
                    long position = open.position;
                    FileInfo.encode(data, r.infoClass(), st,
                        new FileInfo.OpenFacts(name, open.grantedAccess, open.deleteOnClose, position, 0));
                    variable = FileInfo.variableLength(r.infoClass());
                }
                case QueryInfo.INFO_FILESYSTEM -> {
                    FileStat root = open.tree.vfs().stat("").orElseThrow();
                    FsInfo.encode(data, r.infoClass(), open.tree.vfs().fsStat(), open.tree.shareName(),
                        open.tree.shareName().hashCode() & 0xFFFFFFFFL, root.creationTime());
                    variable = FsInfo.variableLength(r.infoClass());
                }
                case QueryInfo.INFO_SECURITY -> {
                    // [MS-SMB2] 3.3.5.20.3: owner, group and DACL need READ_CONTROL; the SACL its own right
                    if ((r.additionalInformation() & 0x7) != 0) {
                        Handlers.requireAccess(open, AccessMask.READ_CONTROL);
                    }
                    if ((r.additionalInformation() & 0x8) != 0) {
                        Handlers.requireAccess(open, AccessMask.ACCESS_SYSTEM_SECURITY);
                    }
                    SecurityDescriptor.encodeDefault(data, r.additionalInformation(), open.tree.readOnly());
                    if (data.readableBytes() > r.outputBufferLength()) {
                        // [MS-SMB2] 3.3.5.20.3: the client asks again with a larger buffer
                        throw new NtStatusException(NtStatus.BUFFER_TOO_SMALL);
                    }
                    variable = false;
                }
                default -> throw new NtStatusException(NtStatus.INVALID_PARAMETER, "info type " + r.infoType());
            }
            int limit = (int) r.outputBufferLength();
            if (data.readableBytes() > limit) {
                if (!variable) {
                    throw new NtStatusException(NtStatus.INFO_LENGTH_MISMATCH);
                }
                int fixed = r.infoType() == QueryInfo.INFO_FILESYSTEM ? FsInfo.fixedSize(r.infoClass())
                    : FileInfo.fixedSize(r.infoClass());
                if (limit < fixed) {
                    throw new NtStatusException(NtStatus.INFO_LENGTH_MISMATCH);
                }
                data.writerIndex(limit);
                req.status = NtStatus.BUFFER_OVERFLOW;
            }
            QueryDirectory.encodeResponse(out, data);
        } finally {
            data.release();
        }
    }

    /**
     * [MS-FSA] 2.1.5.12: attribute-bearing classes need FILE_READ_ATTRIBUTES, extended attributes
     * FILE_READ_EA; the others (standard, internal, position, name, ...) any open may ask.
     */
    private static void requireAccessFor(Open open, int infoClass) {
        switch (infoClass) {
            case InfoClass.FILE_BASIC_INFORMATION, InfoClass.FILE_ALL_INFORMATION,
                 InfoClass.FILE_NETWORK_OPEN_INFORMATION, InfoClass.FILE_ATTRIBUTE_TAG_INFORMATION ->
                Handlers.requireAccess(open, AccessMask.FILE_READ_ATTRIBUTES);
            case InfoClass.FILE_FULL_EA_INFORMATION -> Handlers.requireAccess(open, AccessMask.FILE_READ_EA);
            default -> { }
        }
    }

    /**
     * [MS-FSCC] 2.4.15 through [MS-SMB2] 3.3.5.20.1: every extended attribute of the file, as many
     * whole entries as fit (BUFFER_OVERFLOW when some are left out); NO_EAS_ON_FILE when none.
     */
    private static void fullEas(Request req, Open open, QueryInfo.Request r, ByteBuf data) throws IOException {
        var all = open.tree.vfs().extendedAttributes(open.path);
        if (all.isEmpty()) {
            throw new NtStatusException(NtStatus.NO_EAS_ON_FILE);
        }
        var list = all.entrySet().stream().map(e -> new org.bladeshare.smb.fscc.FullEaInfo.Ea(e.getKey(),
            e.getValue())).toList();
        int written = org.bladeshare.smb.fscc.FullEaInfo.encode(data, list, (int) r.outputBufferLength());
        if (written == 0) {
            throw new NtStatusException(NtStatus.BUFFER_TOO_SMALL);
        }
        if (written < list.size()) {
            req.status = NtStatus.BUFFER_OVERFLOW;
        }
    }

    private static void pipeInfo(QueryInfo.Request r, ByteBuf out) {
        if (r.infoType() != QueryInfo.INFO_FILE || r.infoClass() != InfoClass.FILE_STANDARD_INFORMATION) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED);
        }
        ByteBuf data = out.alloc().buffer(24);
        try {
            data.writeLongLE(4096);
            data.writeLongLE(0);
            data.writeIntLE(1);
            data.writeByte(1); // delete pending, as Windows reports for pipes
            data.writeByte(0);
            data.writeShortLE(0);
            QueryDirectory.encodeResponse(out, data);
        } finally {
            data.release();
        }
    }
}
