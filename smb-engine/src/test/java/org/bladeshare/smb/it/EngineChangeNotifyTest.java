package org.bladeshare.smb.it;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msdtyp.FileTime;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.FileNotifyAction;
import com.hierynomus.msfscc.fileinformation.FileBasicInformation;
import com.hierynomus.mssmb2.SMB2CompletionFilter;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.messages.SMB2ChangeNotifyResponse;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.share.Directory;
import com.hierynomus.smbj.share.DiskShare;
import org.bladeshare.smb.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CHANGE_NOTIFY hears what the server itself changes ([MS-SMB2] 3.3.5.19, [MS-FSA] 2.1.4.1), with
 * the action and completion-filter bits of the change, for directories watched alone or as a tree.
 */
class EngineChangeNotifyTest extends OneServerTest {
    private SMBClient client;
    private DiskShare watcherShare;
    private DiskShare changerShare;

    @BeforeEach
    void connect() throws Exception {
        Files.createDirectories(share.resolve("watched"));
        Files.writeString(share.resolve("watched/a.txt"), "a");
        client = new SMBClient();
        watcherShare = logOnSmbj();
        changerShare = logOnSmbj();
    }

    private DiskShare logOnSmbj() throws Exception {
        var session = client.connect("127.0.0.1", server.port()).authenticate(new AuthenticationContext(
            TestServers.USER, TestServers.PASSWORD.toCharArray(), "WORKGROUP"));
        return (DiskShare) session.connectShare("public");
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private Directory watchedDirectory() {
        return watcherShare.openDirectory("watched", EnumSet.of(AccessMask.GENERIC_READ), null,
            SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, null);
    }

    /** Starts a watch and makes sure the server has it before anything changes. */
    private Future<SMB2ChangeNotifyResponse> watch(Directory dir, SMB2CompletionFilter filter, boolean tree) {
        var future = dir.watchAsync(EnumSet.of(filter), tree);
        watcherShare.list("watched"); // a connection's requests are served in order: the watch is in place
        return future;
    }

    private static List<String> changes(Future<SMB2ChangeNotifyResponse> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS).getFileNotifyInfoList().stream()
            .map(i -> i.getAction() + " " + i.getFileName()).toList();
    }

    @Test
    void aRenameThroughTheServerIsReportedAsOldAndNewName() throws Exception {
        try (Directory dir = watchedDirectory()) {
            var future = watch(dir, SMB2CompletionFilter.FILE_NOTIFY_CHANGE_FILE_NAME, false);
            try (var file = changerShare.openFile("watched\\a.txt", EnumSet.of(AccessMask.DELETE,
                AccessMask.GENERIC_READ), null, SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, null)) {
                file.rename("watched\\b.txt");
            }
            assertEquals(List.of(FileNotifyAction.FILE_ACTION_RENAMED_OLD_NAME + " a.txt",
                FileNotifyAction.FILE_ACTION_RENAMED_NEW_NAME + " b.txt"), changes(future));
        }
    }

    @Test
    void onlyTheChangesTheFilterAsksForAreReported() throws Exception {
        try (Directory dir = watchedDirectory()) {
            var future = watch(dir, SMB2CompletionFilter.FILE_NOTIFY_CHANGE_ATTRIBUTES, false);
            changerShare.mkdir("watched\\not-an-attribute-change");
            var hidden = new FileBasicInformation(FileBasicInformation.DONT_SET, FileBasicInformation.DONT_SET,
                FileBasicInformation.DONT_SET, FileBasicInformation.DONT_SET, FileAttributes.FILE_ATTRIBUTE_HIDDEN.getValue());
            changerShare.setFileInformation("watched\\a.txt", hidden);
            assertEquals(List.of(FileNotifyAction.FILE_ACTION_MODIFIED + " a.txt"), changes(future));
        }
    }

    @Test
    void aTreeWatchHearsDirectoriesCreatedAfterItStarted() throws Exception {
        try (Directory dir = watchedDirectory()) {
            var first = watch(dir, SMB2CompletionFilter.FILE_NOTIFY_CHANGE_DIR_NAME, true);
            changerShare.mkdir("watched\\later");
            assertEquals(List.of(FileNotifyAction.FILE_ACTION_ADDED + " later"), changes(first));
            var second = watch(dir, SMB2CompletionFilter.FILE_NOTIFY_CHANGE_DIR_NAME, true);
            changerShare.mkdir("watched\\later\\deeper");
            assertEquals(List.of(FileNotifyAction.FILE_ACTION_ADDED + " later\\deeper"), changes(second));
        }
    }
}
