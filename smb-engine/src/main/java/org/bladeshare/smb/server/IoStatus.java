package org.bladeshare.smb.server;

import org.bladeshare.smb.erref.NtStatus;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Maps java.nio failures to the NTSTATUS a Windows server would return. */
final class IoStatus {
    private IoStatus() {
    }

    static int of(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> NtStatus.OBJECT_NAME_NOT_FOUND;
            case FileAlreadyExistsException x -> NtStatus.OBJECT_NAME_COLLISION;
            case DirectoryNotEmptyException x -> NtStatus.DIRECTORY_NOT_EMPTY;
            case AccessDeniedException x -> NtStatus.ACCESS_DENIED;
            case NotDirectoryException x -> NtStatus.OBJECT_PATH_NOT_FOUND;
            case FileSystemException x when String.valueOf(x.getReason()).contains("No space") -> NtStatus.DISK_FULL;
            case FileSystemException x when String.valueOf(x.getReason()).contains("Read-only") ->
                NtStatus.MEDIA_WRITE_PROTECTED;
            // EFBIG (a write past the file system's largest file) is DISK_FULL, as Samba maps it
            default -> String.valueOf(e.getMessage()).contains("No space")
                || String.valueOf(e.getMessage()).contains("File too large") ? NtStatus.DISK_FULL
                : NtStatus.UNEXPECTED_IO_ERROR;
        };
    }
}
