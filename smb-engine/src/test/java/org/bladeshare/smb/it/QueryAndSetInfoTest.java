package org.bladeshare.smb.it;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msdtyp.FileTime;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.fileinformation.FileBasicInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.share.DiskShare;
import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.fscc.InfoClass;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.QueryDirectory;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QUERY_DIRECTORY flags and classes; QUERY_INFO/SET_INFO of times, DOS attributes and the volume. */
class QueryAndSetInfoTest {
    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        for (String n : List.of("alpha.txt", "beta.txt", "gamma.log")) {
            Files.writeString(share.resolve(n), n);
        }
        server = TestServers.start(share, List.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Names from FILE_NAMES_INFORMATION entries. */
    private static List<String> names(RawClient.Reply reply) {
        var data = QueryDirectory.decodeResponse(reply.message().duplicate().readerIndex(Smb2Header.SIZE));
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (true) {
            int next = data.getIntLE(pos);
            int len = data.getIntLE(pos + 8);
            out.add(data.toString(pos + 12, len, StandardCharsets.UTF_16LE));
            if (next == 0) {
                return out;
            }
            pos += next;
        }
    }

    private static RawClient.Reply find(RawClient c, FileId dir, String pattern, int flags) throws Exception {
        return c.call(Smb2Command.QUERY_DIRECTORY, b -> new QueryDirectory.Request(InfoClass.FILE_NAMES_INFORMATION,
            flags, 0, dir, pattern, 65536).encode(b));
    }

    @Test
    void singleEntryRestartPatternsAndEnd() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
            var created = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x1, 0, 7, Create.OPEN,
                Create.OPT_DIRECTORY_FILE, "", List.of()).encode(b));
            FileId dir = Create.Response.decode(created.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
            var first = find(c, dir, "*.txt", QueryDirectory.RETURN_SINGLE_ENTRY);
            assertEquals(1, names(first).size());
            var rest = find(c, dir, "*.txt", 0);
            var all = new ArrayList<>(names(first));
            all.addAll(names(rest));
            all.sort(null);
            assertEquals(List.of("alpha.txt", "beta.txt"), all);
            assertEquals(NtStatus.NO_MORE_FILES, find(c, dir, "*.txt", 0).status());
            var again = find(c, dir, "*.LOG", QueryDirectory.RESTART_SCANS);
            assertEquals(List.of("gamma.log"), names(again), "restart takes the new pattern, case-insensitively");
            assertEquals(NtStatus.NO_SUCH_FILE, find(c, dir, "nothing*", QueryDirectory.REOPEN).status());
        }
    }

    @Test
    void basicInformationAndDosAttributesRoundTrip() throws Exception {
        var view = Files.getFileAttributeView(share, UserDefinedFileAttributeView.class);
        boolean xattrs;
        try {
            view.write("probe", java.nio.ByteBuffer.wrap(new byte[]{1}));
            view.delete("probe");
            xattrs = true;
        } catch (Exception e) {
            xattrs = false;
        }
        Assumptions.assumeTrue(xattrs, "the temp file system has no user xattrs");
        try (SMBClient client = new SMBClient(com.hierynomus.smbj.SmbConfig.builder()
            .withTimeout(20, TimeUnit.SECONDS).build());
             var conn = client.connect("127.0.0.1", server.port())) {
            var session = conn.authenticate(new AuthenticationContext(TestServers.USER,
                TestServers.PASSWORD.toCharArray(), "WORKGROUP"));
            try (DiskShare disk = (DiskShare) session.connectShare("public")) {
                FileTime created = FileTime.ofEpochMillis(1_500_000_000_000L);
                FileTime written = FileTime.ofEpochMillis(1_600_000_000_000L);
                long attrs = FileAttributes.FILE_ATTRIBUTE_HIDDEN.getValue()
                    | FileAttributes.FILE_ATTRIBUTE_ARCHIVE.getValue();
                try (var f = disk.openFile("alpha.txt", EnumSet.of(AccessMask.GENERIC_ALL), null,
                    SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, null)) {
                    f.setFileInformation(new FileBasicInformation(created, FileBasicInformation.DONT_SET,
                        written, FileBasicInformation.DONT_SET, attrs));
                }
                var info = disk.getFileInformation("alpha.txt").getBasicInformation();
                assertEquals(created.toEpochMillis(), info.getCreationTime().toEpochMillis());
                assertEquals(written.toEpochMillis(), info.getLastWriteTime().toEpochMillis());
                assertEquals(attrs, info.getFileAttributes());
                assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(share.resolve("alpha.txt")).toMillis());
                var volume = disk.getShareInformation();
                assertTrue(volume.getTotalSpace() > 0 && volume.getFreeSpace() <= volume.getTotalSpace());
            }
        }
    }
}
