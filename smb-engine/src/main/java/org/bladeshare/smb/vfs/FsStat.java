package org.bladeshare.smb.vfs;

/** Volume capacity in bytes. */
public record FsStat(long totalBytes, long freeBytes, long usableBytes) {
}
