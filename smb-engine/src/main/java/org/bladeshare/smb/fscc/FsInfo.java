package org.bladeshare.smb.fscc;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.smb2.Utf16;
import org.bladeshare.smb.vfs.FsStat;

/** Encoders for QUERY_INFO file-system information classes ([MS-FSCC] 2.5). */
public final class FsInfo {
    private FsInfo() {
    }

    public static final int SECTOR = 512;
    public static final int SECTORS_PER_UNIT = 8;
    public static final int UNIT = SECTOR * SECTORS_PER_UNIT;

    /** Case-sensitive search, case-preserved names, Unicode on disk, persistent ACLs, sparse files. */
    public static final int FS_ATTRIBUTES = 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000040;

    public static boolean variableLength(int infoClass) {
        return infoClass == InfoClass.FS_VOLUME_INFORMATION || infoClass == InfoClass.FS_ATTRIBUTE_INFORMATION;
    }

    /** Minimum buffer for the fixed part: smaller gets INFO_LENGTH_MISMATCH ([MS-SMB2] 3.3.5.20.2). */
    public static int fixedSize(int infoClass) {
        return switch (infoClass) {
            // as Windows counts them: the structure with its first name character, 8- or 4-aligned
            case InfoClass.FS_VOLUME_INFORMATION -> 24;
            case InfoClass.FS_ATTRIBUTE_INFORMATION -> 16;
            default -> 0;
        };
    }

    public static void encode(ByteBuf out, int infoClass, FsStat fs, String volumeLabel, long serial, long created) {
        switch (infoClass) {
            case InfoClass.FS_VOLUME_INFORMATION -> {
                byte[] label = Utf16.bytes(volumeLabel);
                out.writeLongLE(created);
                out.writeIntLE((int) serial);
                out.writeIntLE(label.length);
                out.writeByte(0);
                out.writeByte(0);
                out.writeBytes(label);
            }
            case InfoClass.FS_SIZE_INFORMATION -> {
                out.writeLongLE(fs.totalBytes() / UNIT);
                out.writeLongLE(fs.usableBytes() / UNIT);
                out.writeIntLE(SECTORS_PER_UNIT);
                out.writeIntLE(SECTOR);
            }
            case InfoClass.FS_DEVICE_INFORMATION -> {
                out.writeIntLE(0x07); // FILE_DEVICE_DISK
                out.writeIntLE(0x20); // FILE_DEVICE_IS_MOUNTED
            }
            case InfoClass.FS_ATTRIBUTE_INFORMATION -> {
                byte[] name = Utf16.bytes("NTFS");
                out.writeIntLE(FS_ATTRIBUTES);
                out.writeIntLE(255);
                out.writeIntLE(name.length);
                out.writeBytes(name);
            }
            case InfoClass.FS_CONTROL_INFORMATION -> {
                // [MS-FSCC] 2.5.2: no quotas; thresholds and limits "none"
                out.writeLongLE(0);
                out.writeLongLE(0);
                out.writeLongLE(0);
                out.writeLongLE(-1L);
                out.writeLongLE(-1L);
                out.writeIntLE(0);
                out.writeIntLE(0);
            }
            case InfoClass.FS_FULL_SIZE_INFORMATION -> {
                out.writeLongLE(fs.totalBytes() / UNIT);
                out.writeLongLE(fs.usableBytes() / UNIT);
                out.writeLongLE(fs.freeBytes() / UNIT);
                out.writeIntLE(SECTORS_PER_UNIT);
                out.writeIntLE(SECTOR);
            }
            case InfoClass.FS_OBJECT_ID_INFORMATION -> {
                out.writeLongLE(serial);
                out.writeLongLE(created);
                out.writeZero(48);
            }
            case InfoClass.FS_SECTOR_SIZE_INFORMATION -> {
                out.writeIntLE(SECTOR);
                out.writeIntLE(SECTOR);
                out.writeIntLE(SECTOR);
                out.writeIntLE(SECTOR);
                out.writeIntLE(0x3); // aligned device, partition aligned
                out.writeIntLE(0);
                out.writeIntLE(0);
            }
            default -> throw new NtStatusException(NtStatus.INVALID_INFO_CLASS);
        }
    }
}
