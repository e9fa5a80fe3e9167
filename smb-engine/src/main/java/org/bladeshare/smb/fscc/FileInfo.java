package org.bladeshare.smb.fscc;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Utf16;
import org.bladeshare.smb.vfs.FileStat;

/** Encoders for QUERY_INFO file information classes ([MS-FSCC] 2.4). */
public final class FileInfo {
    private FileInfo() {
    }

    /** Open-specific facts some classes report besides the file's attributes. */
    public record OpenFacts(String name, int accessMask, boolean deletePending, long position, int mode) {
    }

    /** True when a result shorter than the class's full size is still meaningful (names, lists). */
    public static boolean variableLength(int infoClass) {
        return infoClass == InfoClass.FILE_ALL_INFORMATION || infoClass == InfoClass.FILE_NAME_INFORMATION
            || infoClass == InfoClass.FILE_STREAM_INFORMATION || infoClass == InfoClass.FILE_ALTERNATE_NAME_INFORMATION
            || infoClass == InfoClass.FILE_NORMALIZED_NAME_INFORMATION;
    }

    /** Minimum size of the fixed part: a buffer smaller than this gets INFO_LENGTH_MISMATCH. */
    public static int fixedSize(int infoClass) {
        return switch (infoClass) {
            // Windows counts the structure with its first name character, rounded to the alignment.
            case InfoClass.FILE_ALL_INFORMATION -> 104;
            case InfoClass.FILE_NAME_INFORMATION, InfoClass.FILE_ALTERNATE_NAME_INFORMATION,
                 InfoClass.FILE_NORMALIZED_NAME_INFORMATION -> 8;
            case InfoClass.FILE_STREAM_INFORMATION -> 32;
            default -> 0;
        };
    }

    public static void encode(ByteBuf out, int infoClass, FileStat s, OpenFacts o) {
        switch (infoClass) {
            case InfoClass.FILE_BASIC_INFORMATION -> basic(out, s);
            case InfoClass.FILE_STANDARD_INFORMATION -> standard(out, s, o);
            case InfoClass.FILE_INTERNAL_INFORMATION -> out.writeLongLE(s.fileId());
            case InfoClass.FILE_EA_INFORMATION -> out.writeIntLE(0);
            case InfoClass.FILE_ACCESS_INFORMATION -> out.writeIntLE(o.accessMask());
            case InfoClass.FILE_NAME_INFORMATION, InfoClass.FILE_NORMALIZED_NAME_INFORMATION -> name(out, o.name());
            case InfoClass.FILE_POSITION_INFORMATION -> out.writeLongLE(o.position());
            case InfoClass.FILE_MODE_INFORMATION -> out.writeIntLE(o.mode());
            case InfoClass.FILE_ALIGNMENT_INFORMATION -> out.writeIntLE(0);
            case InfoClass.FILE_ALL_INFORMATION -> {
                basic(out, s);
                standard(out, s, o);
                out.writeLongLE(s.fileId());
                out.writeIntLE(0);
                out.writeIntLE(o.accessMask());
                out.writeLongLE(o.position());
                out.writeIntLE(o.mode());
                out.writeIntLE(0);
                name(out, o.name());
            }
            // No 8.3 names are generated: the alternate name is the name itself, as with 8dot3 names off.
            case InfoClass.FILE_ALTERNATE_NAME_INFORMATION -> name(out, o.name().substring(o.name().lastIndexOf('\\') + 1));
            case InfoClass.FILE_STREAM_INFORMATION -> {
                if (!s.directory()) {
                    byte[] n = Utf16.bytes("::$DATA");
                    out.writeIntLE(0);
                    out.writeIntLE(n.length);
                    out.writeLongLE(s.size());
                    out.writeLongLE(s.allocationSize());
                    out.writeBytes(n);
                }
            }
            case InfoClass.FILE_COMPRESSION_INFORMATION -> {
                out.writeLongLE(s.size());
                out.writeShortLE(0);
                out.writeByte(0);
                out.writeByte(0);
                out.writeByte(0);
                out.writeZero(3);
            }
            case InfoClass.FILE_NETWORK_OPEN_INFORMATION -> {
                out.writeLongLE(s.creationTime());
                out.writeLongLE(s.lastAccessTime());
                out.writeLongLE(s.lastWriteTime());
                out.writeLongLE(s.changeTime());
                out.writeLongLE(s.allocationSize());
                out.writeLongLE(s.size());
                out.writeIntLE(s.wireAttributes());
                out.writeIntLE(0);
            }
            case InfoClass.FILE_ATTRIBUTE_TAG_INFORMATION -> {
                out.writeIntLE(s.wireAttributes());
                out.writeIntLE(0);
            }
            default -> throw new NtStatusException(NtStatus.INVALID_INFO_CLASS);
        }
    }

    private static void basic(ByteBuf out, FileStat s) {
        out.writeLongLE(s.creationTime());
        out.writeLongLE(s.lastAccessTime());
        out.writeLongLE(s.lastWriteTime());
        out.writeLongLE(s.changeTime());
        out.writeIntLE(s.wireAttributes());
        out.writeIntLE(0);
    }

    private static void standard(ByteBuf out, FileStat s, OpenFacts o) {
        out.writeLongLE(s.allocationSize());
        out.writeLongLE(s.size());
        out.writeIntLE(Math.max(1, s.links()));
        out.writeByte(o.deletePending() ? 1 : 0);
        out.writeByte(s.directory() ? 1 : 0);
        out.writeShortLE(0);
    }

    private static void name(ByteBuf out, String name) {
        byte[] n = Utf16.bytes(name);
        out.writeIntLE(n.length);
        out.writeBytes(n);
    }
}
