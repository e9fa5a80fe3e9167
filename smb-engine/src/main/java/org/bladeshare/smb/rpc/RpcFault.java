package org.bladeshare.smb.rpc;

/** A DCE/RPC fault to return to the caller ([C706] appendix E, [MS-RPCE] 2.2.2.9). */
public class RpcFault extends RuntimeException {
    public static final int NCA_S_OP_RNG_ERROR = 0x1C010002;
    public static final int NCA_S_UNK_IF = 0x1C010003;
    public static final int NCA_S_PROTO_ERROR = 0x1C01000B;
    public static final int NCA_S_FAULT_NDR = 0x000006F7;

    private final int status;

    public RpcFault(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
