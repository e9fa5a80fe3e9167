package org.bladeshare.smb.auth;

import org.bladeshare.smb.smb2.Dialect;
import org.bladeshare.smb.transport.CipherId;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SP800-108 key derivation against the examples of Microsoft's "SMB 2 and SMB 3 security in
 * Windows 10: the anatomy of signing and cryptographic keys" (the blog names keys from the
 * client's side: its EncryptionKey is the server's decryption key).
 */
class KdfVectorsTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void smb30Keys() {
        var keys = SessionKeys.derive(Dialect.SMB_3_0, CipherId.AES_128_CCM,
            HEX.parseHex("7CD451825D0450D235424E44BA6E78CC"), null);
        assertEquals("0B7E9C5CAC36C0F6EA9AB275298CEDCE", HEX.formatHex(keys.signingKey()));
        assertEquals("BB23A4575AA26C721AF525AF15A87B4F", HEX.formatHex(keys.applicationKey()));
        assertEquals("FAD27796665B313EBB578F388632B4F7", HEX.formatHex(keys.decryptionKey()));
        assertEquals("B0F0427F7CEB416D1D9DCC0CD4F99447", HEX.formatHex(keys.encryptionKey()));
    }

    @Test
    void smb311KeysUseThePreauthHash() {
        byte[] preauth = HEX.parseHex("0DD13628CC3ED218EF9DF9772D436D0887AB9814BFAE63A80AA845F36909DB79"
            + "28622DDDAD522D9751640A459762C5A9D6BB084CBB3CE6BDADEF5D5BCE3C6C01");
        var keys = SessionKeys.derive(Dialect.SMB_3_1_1, CipherId.AES_128_GCM,
            HEX.parseHex("270E1BA896585EEB7AF3472D3B4C75A7"), preauth);
        assertEquals("73FE7A9A77BEF0BDE49C650D8CCB5F76", HEX.formatHex(keys.signingKey()));
        assertEquals("6D7AD7954E9EC61E907B4D473DC178FF", HEX.formatHex(keys.applicationKey()));
        assertEquals("629BCBC54422A0F572B97F45989B6073", HEX.formatHex(keys.decryptionKey()));
        assertEquals("E2AF0DCEFAC68DA71A0DFBD0D1350D74", HEX.formatHex(keys.encryptionKey()));
    }

    @Test
    void smb2xSigningKeyIsTheSessionKey() {
        var keys = SessionKeys.derive(Dialect.SMB_2_1, null, HEX.parseHex("7CD451825D0450D235424E44BA6E78CC"), null);
        assertEquals("7CD451825D0450D235424E44BA6E78CC", HEX.formatHex(keys.signingKey()));
    }
}
