package org.bladeshare.smb.fscc;

/** File attribute flags ([MS-FSCC] 2.6). */
public final class FileAttributes {
    private FileAttributes() {
    }

    public static final int READONLY = 0x00000001;
    public static final int HIDDEN = 0x00000002;
    public static final int SYSTEM = 0x00000004;
    public static final int DIRECTORY = 0x00000010;
    public static final int ARCHIVE = 0x00000020;
    public static final int NORMAL = 0x00000080;
    public static final int TEMPORARY = 0x00000100;
    public static final int SPARSE_FILE = 0x00000200;
    public static final int REPARSE_POINT = 0x00000400;
    public static final int OFFLINE = 0x00001000;
    public static final int NOT_CONTENT_INDEXED = 0x00002000;
    /** Bits a client may set through SET_INFO FileBasicInformation. */
    public static final int SETTABLE = READONLY | HIDDEN | SYSTEM | ARCHIVE | TEMPORARY | OFFLINE | NOT_CONTENT_INDEXED;
}
