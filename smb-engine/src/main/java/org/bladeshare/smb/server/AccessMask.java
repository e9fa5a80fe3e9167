package org.bladeshare.smb.server;

/** Access mask bits ([MS-SMB2] 2.2.13.1.1, [MS-DTYP] 2.4.3) and the generic mapping for files. */
public final class AccessMask {
    private AccessMask() {
    }

    public static final int FILE_READ_DATA = 0x00000001;
    public static final int FILE_WRITE_DATA = 0x00000002;
    public static final int FILE_APPEND_DATA = 0x00000004;
    public static final int FILE_READ_EA = 0x00000008;
    public static final int FILE_WRITE_EA = 0x00000010;
    public static final int FILE_EXECUTE = 0x00000020;
    public static final int FILE_DELETE_CHILD = 0x00000040;
    public static final int FILE_READ_ATTRIBUTES = 0x00000080;
    public static final int FILE_WRITE_ATTRIBUTES = 0x00000100;
    public static final int DELETE = 0x00010000;
    public static final int READ_CONTROL = 0x00020000;
    public static final int WRITE_DAC = 0x00040000;
    public static final int WRITE_OWNER = 0x00080000;
    public static final int SYNCHRONIZE = 0x00100000;
    public static final int ACCESS_SYSTEM_SECURITY = 0x01000000;
    public static final int MAXIMUM_ALLOWED = 0x02000000;
    public static final int GENERIC_ALL = 0x10000000;
    public static final int GENERIC_EXECUTE = 0x20000000;
    public static final int GENERIC_WRITE = 0x40000000;
    public static final int GENERIC_READ = 0x80000000;

    public static final int FILE_ALL_ACCESS = 0x001F01FF;
    public static final int FILE_GENERIC_READ = 0x00120089;
    public static final int FILE_GENERIC_WRITE = 0x00120116;
    public static final int FILE_GENERIC_EXECUTE = 0x001200A0;
    /** Rights that change the file's data, attributes or existence. */
    public static final int WRITE_RIGHTS = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES
        | DELETE | FILE_DELETE_CHILD | WRITE_DAC | WRITE_OWNER;

    /** Maps generic bits to file-specific rights; MAXIMUM_ALLOWED becomes {@code maximal}. */
    public static int map(int desired, int maximal) {
        int m = desired & ~(GENERIC_ALL | GENERIC_EXECUTE | GENERIC_WRITE | GENERIC_READ | MAXIMUM_ALLOWED);
        if ((desired & GENERIC_ALL) != 0) {
            m |= FILE_ALL_ACCESS;
        }
        if ((desired & GENERIC_READ) != 0) {
            m |= FILE_GENERIC_READ;
        }
        if ((desired & GENERIC_WRITE) != 0) {
            m |= FILE_GENERIC_WRITE;
        }
        if ((desired & GENERIC_EXECUTE) != 0) {
            m |= FILE_GENERIC_EXECUTE;
        }
        if ((desired & MAXIMUM_ALLOWED) != 0) {
            m |= maximal;
        }
        return m;
    }
}
