package org.bladeshare.smb.it;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.fscc.Fsctl;
import org.bladeshare.smb.smb2.CopyChunk;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.Ioctl;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The requests of a server-side copy, sent by a {@link RawClient}. */
final class CopyChunkCalls {
    private CopyChunkCalls() {
    }

    /** Opens an existing file for reading and writing. */
    static FileId open(RawClient c, String name) throws Exception {
        var r = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x12019F, 0, 7, Create.OPEN, 0, name,
            List.of()).encode(b));
        assertEquals(0, r.status(), NtStatus.name(r.status()));
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
    }

    static RawClient.Reply ioctl(RawClient c, int code, FileId file, byte[] input, int maxOut) throws Exception {
        return c.call(Smb2Command.IOCTL, b -> new Ioctl.Request(code, file, input, 0, maxOut, Ioctl.FLAG_IS_FSCTL)
            .encode(b));
    }

    static byte[] output(RawClient.Reply reply) {
        return Ioctl.Response.decode(reply.message().duplicate().readerIndex(Smb2Header.SIZE)).output();
    }

    static byte[] resumeKey(RawClient c, FileId file) throws Exception {
        var r = ioctl(c, Fsctl.SRV_REQUEST_RESUME_KEY, file, new byte[0], CopyChunk.RESUME_KEY_RESPONSE_SIZE);
        assertEquals(0, r.status(), NtStatus.name(r.status()));
        return Arrays.copyOf(output(r), CopyChunk.KEY_SIZE);
    }

    /** FSCTL_SRV_COPYCHUNK_WRITE of one chunk. */
    static RawClient.Reply copy(RawClient c, FileId target, byte[] key, CopyChunk.Chunk chunk) throws Exception {
        return ioctl(c, Fsctl.SRV_COPYCHUNK_WRITE, target, new CopyChunk.Copy(key, List.of(chunk)).encode(),
            CopyChunk.RESPONSE_SIZE);
    }
}
