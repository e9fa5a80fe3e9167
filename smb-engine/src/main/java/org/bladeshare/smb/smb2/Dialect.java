package org.bladeshare.smb.smb2;

/** Dialect revisions ([MS-SMB2] 2.2.3) this server speaks. */
public enum Dialect {
    SMB_2_0_2(0x0202), SMB_2_1(0x0210), SMB_3_0(0x0300), SMB_3_0_2(0x0302), SMB_3_1_1(0x0311);

    public static final int WILDCARD = 0x02FF;
    private final int code;

    Dialect(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isSmb3() {
        return code >= 0x0300;
    }

    public static Dialect of(int code) {
        for (Dialect d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        return null;
    }
}
