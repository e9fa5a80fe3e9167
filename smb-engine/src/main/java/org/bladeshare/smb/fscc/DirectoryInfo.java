package org.bladeshare.smb.fscc;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Utf16;
import org.bladeshare.smb.vfs.FileStat;

/** Encodes QUERY_DIRECTORY entries ([MS-FSCC] 2.4.8, 2.4.10, 2.4.14, 2.4.17, 2.4.18, 2.4.28). */
public final class DirectoryInfo {
    private DirectoryInfo() {
    }

    public static boolean supported(int infoClass) {
        return switch (infoClass) {
            case InfoClass.FILE_DIRECTORY_INFORMATION, InfoClass.FILE_FULL_DIRECTORY_INFORMATION,
                 InfoClass.FILE_BOTH_DIRECTORY_INFORMATION, InfoClass.FILE_NAMES_INFORMATION,
                 InfoClass.FILE_ID_BOTH_DIRECTORY_INFORMATION, InfoClass.FILE_ID_FULL_DIRECTORY_INFORMATION -> true;
            default -> false;
        };
    }

    /** Size of one entry before 8-byte alignment. */
    public static int size(int infoClass, String name) {
        int n = name.length() * 2;
        return switch (infoClass) {
            case InfoClass.FILE_DIRECTORY_INFORMATION -> 64 + n;
            case InfoClass.FILE_FULL_DIRECTORY_INFORMATION -> 68 + n;
            case InfoClass.FILE_BOTH_DIRECTORY_INFORMATION -> 94 + n;
            case InfoClass.FILE_NAMES_INFORMATION -> 12 + n;
            case InfoClass.FILE_ID_BOTH_DIRECTORY_INFORMATION -> 104 + n;
            case InfoClass.FILE_ID_FULL_DIRECTORY_INFORMATION -> 80 + n;
            default -> throw new NtStatusException(NtStatus.INVALID_INFO_CLASS);
        };
    }

    /** Writes one entry with NextEntryOffset 0; the caller links entries. */
    public static void encode(ByteBuf out, int infoClass, String name, FileStat s, long fileIndex) {
        byte[] n = Utf16.bytes(name);
        out.writeIntLE(0);
        out.writeIntLE((int) fileIndex);
        if (infoClass == InfoClass.FILE_NAMES_INFORMATION) {
            out.writeIntLE(n.length);
            out.writeBytes(n);
            return;
        }
        out.writeLongLE(s.creationTime());
        out.writeLongLE(s.lastAccessTime());
        out.writeLongLE(s.lastWriteTime());
        out.writeLongLE(s.changeTime());
        out.writeLongLE(s.size());
        out.writeLongLE(s.allocationSize());
        out.writeIntLE(s.wireAttributes());
        out.writeIntLE(n.length);
        switch (infoClass) {
            case InfoClass.FILE_DIRECTORY_INFORMATION -> { }
            case InfoClass.FILE_FULL_DIRECTORY_INFORMATION -> out.writeIntLE(0);
            case InfoClass.FILE_ID_FULL_DIRECTORY_INFORMATION -> {
                out.writeIntLE(0);
                out.writeIntLE(0);
                out.writeLongLE(s.fileId());
            }
            case InfoClass.FILE_BOTH_DIRECTORY_INFORMATION, InfoClass.FILE_ID_BOTH_DIRECTORY_INFORMATION -> {
                out.writeIntLE(0);   // EaSize
                out.writeByte(0);    // ShortNameLength: no 8.3 names
                out.writeByte(0);
                out.writeZero(24);
                if (infoClass == InfoClass.FILE_ID_BOTH_DIRECTORY_INFORMATION) {
                    out.writeShortLE(0);
                    out.writeLongLE(s.fileId());
                }
            }
            default -> throw new NtStatusException(NtStatus.INVALID_INFO_CLASS);
        }
        out.writeBytes(n);
    }
}
