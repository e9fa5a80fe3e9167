package org.bladeshare.smb.vfs;

/** One directory member: its name and attributes. */
public record DirEntry(String name, FileStat stat) {
}
