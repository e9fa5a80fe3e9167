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
    public static final int GET_REPARSE_POINT = 0x000900A8;
    public static final int CREATE_OR_GET_OBJECT_ID = 0x000900C0;
}
