package org.bladeshare.smb.it;

import org.bladeshare.smb.SmbServer;
import org.bladeshare.smb.TestServers;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.fscc.FileAttributes;
import org.bladeshare.smb.fscc.InfoClass;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.QueryDirectory;
import org.bladeshare.smb.smb2.QueryInfo;
import org.bladeshare.smb.smb2.SetInfo;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** CREATE, QUERY_INFO and SET_INFO rules smbtorture checks (smb2.create, smb2.getinfo). */
class CreateAndInfoRulesTest {
    private static final int SYNCHRONIZE = 0x00100000;
    private static final int READ_ATTRIBUTES = 0x80;

    @TempDir
    Path share;
    SmbServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(share.resolve("f.txt"), "data");
        Files.createDirectories(share.resolve("d"));
        server = TestServers.start(share, List.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawClient logOn() throws Exception {
        RawClient c = new RawClient(server.port());
        c.logOn(TestServers.USER, TestServers.PASSWORD, "public");
        return c;
    }

    @Test
    void aFifoInTheShareIsRefusedInsteadOfWaitedOn() throws Exception {
        Path fifo = share.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        Files.writeString(share.resolve("plain.txt"), "plain");
        try (RawClient c = logOn()) {
            // read access alone: an O_RDONLY open of a FIFO would wait for a writer for ever
            var r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> create(c, "fifo", 2, 0x1, 0));
            assertEquals(NtStatus.ACCESS_DENIED, r.status(), NtStatus.name(r.status()));
            fileId(create(c, "plain.txt", 2, 0x1, 0)); // and the connection goes on serving
        }
        try (RawClient c = logOn()) {
            FileId dir = fileId(create(c, "", 2, 0x1, 0x1)); // the share root, FILE_DIRECTORY_FILE
            var listed = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> c.call(Smb2Command.QUERY_DIRECTORY,
                b -> new QueryDirectory.Request(InfoClass.FILE_DIRECTORY_INFORMATION, 0, 0, dir, "*", 65536).encode(b)));
            assertEquals(0, listed.status(), "a listing shows the FIFO without opening it: "
                + NtStatus.name(listed.status()));
        }
    }

    private static RawClient.Reply create(RawClient c, String name, int impersonation, int access, int options)
        throws Exception {
        return c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, impersonation, access, 0, 7, Create.OPEN,
            options, name, List.of()).encode(b));
    }

    private static FileId fileId(RawClient.Reply r) {
        assertEquals(0, r.status(), NtStatus.name(r.status()));
        return Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();
    }

    private static int query(RawClient c, FileId id, int type, int infoClass, int length, int additional)
        throws Exception {
        return c.call(Smb2Command.QUERY_INFO, b -> new QueryInfo.Request(type, infoClass, length, new byte[0],
            additional, 0, id).encode(b)).status();
    }

    @Test
    void anImpersonationLevelBeyondDelegateIsRefused() throws Exception {
        try (RawClient c = logOn()) {
            assertEquals(NtStatus.BAD_IMPERSONATION_LEVEL, create(c, "f.txt", 0x12345678, 0x12019F, 0).status());
            assertEquals(0, create(c, "f.txt", 3, 0x12019F, 0).status(), "Delegate (3) is valid");
        }
    }

    @Test
    void aDirectoryCannotBecomeTemporary() throws Exception {
        try (RawClient c = logOn()) {
            FileId dir = fileId(create(c, "d", 2, 0x1F01FF, Create.OPT_DIRECTORY_FILE));
            byte[] basic = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(0).putLong(0)
                .putLong(0).putInt(FileAttributes.TEMPORARY).putInt(0).array();
            var r = c.call(Smb2Command.SET_INFO, b -> new SetInfo.Request(QueryInfo.INFO_FILE,
                InfoClass.FILE_BASIC_INFORMATION, basic, 0, dir).encode(b));
            assertEquals(NtStatus.INVALID_PARAMETER, r.status());
        }
    }

    @Test
    void attributeClassesAndSecurityNeedTheirAccessRights() throws Exception {
        try (RawClient c = logOn()) {
            FileId sync = fileId(create(c, "f.txt", 2, SYNCHRONIZE, 0));
            assertEquals(NtStatus.ACCESS_DENIED, query(c, sync, QueryInfo.INFO_FILE,
                InfoClass.FILE_BASIC_INFORMATION, 1024, 0));
            assertEquals(NtStatus.ACCESS_DENIED, query(c, sync, QueryInfo.INFO_FILE,
                InfoClass.FILE_NETWORK_OPEN_INFORMATION, 1024, 0));
            assertEquals(NtStatus.ACCESS_DENIED, query(c, sync, QueryInfo.INFO_SECURITY, 0, 4096, 7));
            assertEquals(0, query(c, sync, QueryInfo.INFO_FILE, InfoClass.FILE_STANDARD_INFORMATION, 1024, 0),
                "standard information needs no right");
            FileId attrs = fileId(create(c, "f.txt", 2, SYNCHRONIZE | READ_ATTRIBUTES, 0));
            assertEquals(0, query(c, attrs, QueryInfo.INFO_FILE, InfoClass.FILE_BASIC_INFORMATION, 1024, 0));
            assertEquals(0, query(c, attrs, QueryInfo.INFO_FILE, InfoClass.FILE_ALL_INFORMATION, 1024, 0));
        }
    }

    @Test
    void aBufferShorterThanTheFixedPartIsALengthMismatch() throws Exception {
        try (RawClient c = logOn()) {
            FileId f = fileId(create(c, "f.txt", 2, 0x12019F, 0));
            // FileAllInformation: 100 bytes of fixed fields plus the first name character, aligned: 104.
            assertEquals(NtStatus.INFO_LENGTH_MISMATCH, query(c, f, QueryInfo.INFO_FILE,
                InfoClass.FILE_ALL_INFORMATION, 103, 0));
            assertEquals(NtStatus.BUFFER_OVERFLOW, query(c, f, QueryInfo.INFO_FILE,
                InfoClass.FILE_ALL_INFORMATION, 104, 0));
            assertEquals(NtStatus.INFO_LENGTH_MISMATCH, query(c, f, QueryInfo.INFO_FILE,
                InfoClass.FILE_NAME_INFORMATION, 7, 0));
            // FileFsVolumeInformation: 18 fixed bytes and the first label character, aligned: 24.
            assertEquals(NtStatus.INFO_LENGTH_MISMATCH, query(c, f, 2, InfoClass.FS_VOLUME_INFORMATION, 23, 0));
            assertEquals(NtStatus.BUFFER_OVERFLOW, query(c, f, 2, InfoClass.FS_VOLUME_INFORMATION, 24, 0));
        }
    }

    @Test
    void aNewReadOnlyFileCannotBeDeleteOnClose() throws Exception {
        try (RawClient c = logOn()) {
            var r = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x1F01FF, FileAttributes.READONLY, 7,
                Create.CREATE, Create.OPT_DELETE_ON_CLOSE, "ro.txt", List.of()).encode(b));
            assertEquals(NtStatus.CANNOT_DELETE, r.status());
            org.junit.jupiter.api.Assertions.assertTrue(Files.notExists(share.resolve("ro.txt")));
        }
    }

    @Test
    void aListingContinuedAfterDeletionsDoesNotReportTheDeletedFiles() throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.writeString(share.resolve("d/f" + i + ".txt"), "x");
        }
        try (RawClient c = logOn()) {
            FileId dir = fileId(create(c, "d", 2, 0x1F01FF, Create.OPT_DIRECTORY_FILE));
            java.util.function.IntFunction<java.util.function.Consumer<io.netty.buffer.ByteBuf>> query = flags -> b ->
                new org.bladeshare.smb.smb2.QueryDirectory.Request(InfoClass.FILE_NAMES_INFORMATION, flags, 0, dir,
                    "*", 65536).encode(b);
            var first = c.call(Smb2Command.QUERY_DIRECTORY, query.apply(
                org.bladeshare.smb.smb2.QueryDirectory.RETURN_SINGLE_ENTRY));
            assertEquals(0, first.status());
            for (int i = 0; i < 5; i++) {
                Files.delete(share.resolve("d/f" + i + ".txt"));
            }
            var names = new java.util.ArrayList<String>();
            for (int round = 0; round < 10; round++) {
                var next = c.call(Smb2Command.QUERY_DIRECTORY, query.apply(0));
                if (next.status() == NtStatus.NO_MORE_FILES) {
                    break;
                }
                assertEquals(0, next.status());
                var data = org.bladeshare.smb.smb2.QueryDirectory.decodeResponse(next.message().duplicate()
                    .readerIndex(Smb2Header.SIZE));
                int pos = 0;
                while (true) { // FILE_NAMES_INFORMATION: NextEntryOffset, FileIndex, FileNameLength, FileName
                    int nextOffset = data.getIntLE(pos);
                    int len = data.getIntLE(pos + 8);
                    names.add(data.toString(pos + 12, len, java.nio.charset.StandardCharsets.UTF_16LE));
                    if (nextOffset == 0) {
                        break;
                    }
                    pos += nextOffset;
                }
            }
            names.removeIf(n -> n.equals(".") || n.equals(".."));
            assertEquals(List.of(), names, "deleted files are not listed");
        }
    }

    private static byte[] eaChain(List<org.bladeshare.smb.fscc.FullEaInfo.Ea> eas) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
        org.bladeshare.smb.fscc.FullEaInfo.encode(b, eas, 65536);
        return io.netty.buffer.ByteBufUtil.getBytes(b);
    }

    private static java.util.Map<String, String> queryEas(RawClient c, FileId id) throws Exception {
        var r = c.call(Smb2Command.QUERY_INFO, b -> new QueryInfo.Request(QueryInfo.INFO_FILE,
            InfoClass.FILE_FULL_EA_INFORMATION, 4096, new byte[0], 0, 0, id).encode(b));
        if (r.status() == NtStatus.NO_EAS_ON_FILE) {
            return java.util.Map.of();
        }
        assertEquals(0, r.status(), NtStatus.name(r.status()));
        var data = org.bladeshare.smb.smb2.QueryDirectory.decodeResponse(r.message().duplicate()
            .readerIndex(Smb2Header.SIZE));
        var out = new java.util.TreeMap<String, String>();
        for (var ea : org.bladeshare.smb.fscc.FullEaInfo.decode(data)) {
            out.put(ea.name(), new String(ea.value(), java.nio.charset.StandardCharsets.US_ASCII));
        }
        return out;
    }

    @Test
    void extendedAttributesGivenAtCreateAreReadBackChangedAndRemoved() throws Exception {
        try (RawClient c = logOn()) {
            var plain = fileId(create(c, "f.txt", 2, 0x12019F, 0));
            assertEquals(java.util.Map.of(), queryEas(c, plain), "a file without EAs answers NO_EAS_ON_FILE");

            byte[] extA = eaChain(List.of(
                new org.bladeshare.smb.fscc.FullEaInfo.Ea("EAONE", "VALUE1".getBytes()),
                new org.bladeshare.smb.fscc.FullEaInfo.Ea("SECONDEA", "ValueTwo".getBytes())));
            var created = c.call(Smb2Command.CREATE, b -> new Create.Request(0, 0, 2, 0x1F01FF, 0, 7, Create.CREATE, 0,
                "ea.txt", List.of(new Create.Context("ExtA", extA))).encode(b));
            FileId id = fileId(created);
            assertEquals(java.util.Map.of("EAONE", "VALUE1", "SECONDEA", "ValueTwo"), queryEas(c, id));

            byte[] change = eaChain(List.of(new org.bladeshare.smb.fscc.FullEaInfo.Ea("eaone", new byte[0]),
                new org.bladeshare.smb.fscc.FullEaInfo.Ea("THIRD", "3".getBytes())));
            var set = c.call(Smb2Command.SET_INFO, b -> new SetInfo.Request(QueryInfo.INFO_FILE,
                InfoClass.FILE_FULL_EA_INFORMATION, change, 0, id).encode(b));
            assertEquals(0, set.status(), NtStatus.name(set.status()));
            assertEquals(java.util.Map.of("SECONDEA", "ValueTwo", "THIRD", "3"), queryEas(c, id),
                "an empty value removes (names match case-insensitively)");

            FileId sync = fileId(create(c, "ea.txt", 2, SYNCHRONIZE, 0));
            assertEquals(NtStatus.ACCESS_DENIED, query(c, sync, QueryInfo.INFO_FILE,
                InfoClass.FILE_FULL_EA_INFORMATION, 4096, 0), "reading EAs needs FILE_READ_EA");
        }
    }

    @Test
    void theQuotaPseudoFileOpensAsAHiddenSystemDirectoryAndCloses() throws Exception {
        try (RawClient c = logOn()) {
            var r = create(c, "$Extend\\$Quota:$Q:$INDEX_ALLOCATION", 0, 0x120089, 0);
            FileId id = fileId(r);
            var body = Create.Response.decode(r.message().duplicate().readerIndex(Smb2Header.SIZE));
            assertEquals(FileAttributes.HIDDEN | FileAttributes.SYSTEM | FileAttributes.DIRECTORY
                | FileAttributes.ARCHIVE, body.fileAttributes());
            assertEquals(0, body.creationTime());
            assertEquals(0, body.lastWriteTime());
            var closed = c.call(Smb2Command.CLOSE, b -> new org.bladeshare.smb.smb2.Close.Request(0, id).encode(b));
            assertEquals(0, closed.status());
            org.junit.jupiter.api.Assertions.assertTrue(Files.notExists(share.resolve("$Extend")), "nothing on disk");
        }
    }
}
