package org.bladeshare.smb.fscc;

/** File and file-system information class numbers ([MS-FSCC] 2.4, 2.5). */
public final class InfoClass {
    private InfoClass() {
    }

    // [MS-FSCC] 2.4 file information classes
    public static final int FILE_DIRECTORY_INFORMATION = 1;
    public static final int FILE_FULL_DIRECTORY_INFORMATION = 2;
    public static final int FILE_BOTH_DIRECTORY_INFORMATION = 3;
    public static final int FILE_BASIC_INFORMATION = 4;
    public static final int FILE_STANDARD_INFORMATION = 5;
    public static final int FILE_INTERNAL_INFORMATION = 6;
    public static final int FILE_EA_INFORMATION = 7;
    public static final int FILE_ACCESS_INFORMATION = 8;
    public static final int FILE_NAME_INFORMATION = 9;
    public static final int FILE_RENAME_INFORMATION = 10;
    public static final int FILE_NAMES_INFORMATION = 12;
    public static final int FILE_DISPOSITION_INFORMATION = 13;
    public static final int FILE_POSITION_INFORMATION = 14;
    public static final int FILE_FULL_EA_INFORMATION = 15;
    public static final int FILE_MODE_INFORMATION = 16;
    public static final int FILE_ALIGNMENT_INFORMATION = 17;
    public static final int FILE_ALL_INFORMATION = 18;
    public static final int FILE_ALLOCATION_INFORMATION = 19;
    public static final int FILE_END_OF_FILE_INFORMATION = 20;
    public static final int FILE_ALTERNATE_NAME_INFORMATION = 21;
    public static final int FILE_STREAM_INFORMATION = 22;
    public static final int FILE_COMPRESSION_INFORMATION = 28;
    public static final int FILE_NETWORK_OPEN_INFORMATION = 34;
    public static final int FILE_ATTRIBUTE_TAG_INFORMATION = 35;
    public static final int FILE_ID_BOTH_DIRECTORY_INFORMATION = 37;
    public static final int FILE_ID_FULL_DIRECTORY_INFORMATION = 38;
    public static final int FILE_NORMALIZED_NAME_INFORMATION = 48;
    public static final int FILE_DISPOSITION_INFORMATION_EX = 64;
    public static final int FILE_RENAME_INFORMATION_EX = 65;

    // [MS-FSCC] 2.5 file system information classes
    public static final int FS_VOLUME_INFORMATION = 1;
    public static final int FS_LABEL_INFORMATION = 2;
    public static final int FS_SIZE_INFORMATION = 3;
    public static final int FS_DEVICE_INFORMATION = 4;
    public static final int FS_ATTRIBUTE_INFORMATION = 5;
    public static final int FS_CONTROL_INFORMATION = 6;
    public static final int FS_FULL_SIZE_INFORMATION = 7;
    public static final int FS_OBJECT_ID_INFORMATION = 8;
    public static final int FS_SECTOR_SIZE_INFORMATION = 11;
}
