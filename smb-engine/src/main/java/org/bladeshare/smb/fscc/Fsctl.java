package org.bladeshare.smb.fscc;

/** FSCTL codes ([MS-FSCC] 2.3, [MS-SMB2] 2.2.31). */
public final class Fsctl {
    private Fsctl() {
    }

    public static final int DFS_GET_REFERRALS = 0x00060194;
    public static final int DFS_GET_REFERRALS_EX = 0x000601B0;
    public static final int PIPE_TRANSCEIVE = 0x0011C017;
    public static final int PIPE_WAIT = 0x00110018;
    public static final int VALIDATE_NEGOTIATE_INFO = 0x00140204;
    public static final int QUERY_NETWORK_INTERFACE_INFO = 0x001401FC;
    public static final int SRV_REQUEST_RESUME_KEY = 0x00140078;
    /** Server-side copy; the destination must be readable too ([MS-SMB2] 3.3.5.15.6). */
    public static final int SRV_COPYCHUNK = 0x001440F2;
    /** Server-side copy into a destination opened for writing only. */
    public static final int SRV_COPYCHUNK_WRITE = 0x001480F2;
    public static final int GET_REPARSE_POINT = 0x000900A8;
    public static final int CREATE_OR_GET_OBJECT_ID = 0x000900C0;
    public static final int GET_COMPRESSION = 0x0009003C;
    public static final int SET_COMPRESSION = 0x0009C040;

    /** COMPRESSION_STATE formats ([MS-FSCC] 2.3.12, 2.3.67). */
    public static final int COMPRESSION_FORMAT_NONE = 0x0000;
    public static final int COMPRESSION_FORMAT_DEFAULT = 0x0001;
    public static final int COMPRESSION_FORMAT_LZNT1 = 0x0002;
}
