package org.bladeshare.smb.state;

import java.util.List;

/**
 * Opens of one file removed by a bulk release (dead node, closed connection, logoff);
 * {@code deleteFile} when the last open went and the file was delete-pending.
 */
public record ReleasedOpens(FileKey file, List<OpenEntry> removed, boolean deleteFile) {
}
