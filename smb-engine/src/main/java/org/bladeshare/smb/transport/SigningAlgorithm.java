package org.bladeshare.smb.transport;

/** Signing algorithms and their ids in SMB2_SIGNING_CAPABILITIES ([MS-SMB2] 2.2.3.1.7). */
public enum SigningAlgorithm {
    HMAC_SHA256(0), AES_CMAC(1), AES_GMAC(2);

    private final int id;

    SigningAlgorithm(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static SigningAlgorithm of(int id) {
        for (var a : values()) {
            if (a.id == id) {
                return a;
            }
        }
        return null;
    }
}
