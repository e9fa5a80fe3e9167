package org.bladeshare.smb.rpc;

import java.util.UUID;

/** One DCE/RPC interface served over a named pipe: its syntax id and its operations. */
public interface RpcInterface {
    UUID uuid();

    int majorVersion();

    /** Executes operation {@code opnum} on NDR-encoded input, returning the NDR-encoded output. */
    byte[] call(int opnum, byte[] stub);
}
