package org.bladeshare.smb.auth;

import org.bladeshare.smb.smb2.Dialect;
import org.bladeshare.smb.transport.CipherId;

import java.util.Arrays;

/**
 * The keys of an SMB2 session ([MS-SMB2] 3.3.5.5.3): signing, application and the two
 * encryption directions (server-to-client "encryption", client-to-server "decryption").
 */
public record SessionKeys(byte[] signingKey, byte[] applicationKey, byte[] encryptionKey, byte[] decryptionKey) {

    /**
     * @param sessionKey  the GSS session key (NTLM ExportedSessionKey)
     * @param cipher      negotiated cipher or null
     * @param preauthHash Session.PreauthIntegrityHashValue for 3.1.1, else ignored
     */
    public static SessionKeys derive(Dialect dialect, CipherId cipher, byte[] sessionKey, byte[] preauthHash) {
        byte[] key16 = Arrays.copyOf(sessionKey, 16);
        if (!dialect.isSmb3()) {
            return new SessionKeys(key16, key16, null, null);
        }
        int encBits = cipher != null && cipher.keyBytes() == 32 ? 256 : 128;
        if (dialect == Dialect.SMB_3_1_1) {
            // AES-256 keys are derived from the full session key ([MS-SMB2] 3.3.5.5.3)
            byte[] encBase = encBits == 256 ? sessionKey : key16;
            return new SessionKeys(
                Kdf.derive(key16, Kdf.cstr("SMBSigningKey"), preauthHash, 128),
                Kdf.derive(key16, Kdf.cstr("SMBAppKey"), preauthHash, 128),
                Kdf.derive(encBase, Kdf.cstr("SMBS2CCipherKey"), preauthHash, encBits),
                Kdf.derive(encBase, Kdf.cstr("SMBC2SCipherKey"), preauthHash, encBits));
        }
        return new SessionKeys(
            Kdf.derive(key16, Kdf.cstr("SMB2AESCMAC"), Kdf.cstr("SmbSign"), 128),
            Kdf.derive(key16, Kdf.cstr("SMB2APP"), Kdf.cstr("SmbRpc"), 128),
            Kdf.derive(key16, Kdf.cstr("SMB2AESCCM"), Kdf.cstr("ServerOut"), 128),
            Kdf.derive(key16, Kdf.cstr("SMB2AESCCM"), Kdf.cstr("ServerIn "), 128));
    }
}
