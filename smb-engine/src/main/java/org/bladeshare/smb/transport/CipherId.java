package org.bladeshare.smb.transport;

/** Encryption ciphers of SMB2_ENCRYPTION_CAPABILITIES ([MS-SMB2] 2.2.3.1.2). */
public enum CipherId {
    AES_128_CCM(1, 16, 11), AES_128_GCM(2, 16, 12), AES_256_CCM(3, 32, 11), AES_256_GCM(4, 32, 12);

    private final int id;
    private final int keyBytes;
    private final int nonceBytes;

    CipherId(int id, int keyBytes, int nonceBytes) {
        this.id = id;
        this.keyBytes = keyBytes;
        this.nonceBytes = nonceBytes;
    }

    public int id() {
        return id;
    }

    public int keyBytes() {
        return keyBytes;
    }

    public int nonceBytes() {
        return nonceBytes;
    }

    public boolean gcm() {
        return this == AES_128_GCM || this == AES_256_GCM;
    }

    public static CipherId of(int id) {
        for (var c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }
}
