package org.bladeshare.smb.state;

/**
 * The answer to removing an open: whether it was there, whether it was the file's last open, and
 * whether the engine must now delete the file ([MS-FSA] 2.1.5.4: the last close of a delete-pending file).
 */
public record CloseResult(boolean removed, boolean lastOpen, boolean deleteFile) {
}
