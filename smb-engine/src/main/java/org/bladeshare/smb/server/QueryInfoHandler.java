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
