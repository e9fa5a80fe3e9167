package org.bladeshare.smb.auth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** NTLMSSP message layouts ([MS-NLMP] 2.2.1) and AV pairs (2.2.2.1). */
public final class Ntlmssp {
    private Ntlmssp() {
    }

    public static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);

    public static final int NEGOTIATE_UNICODE = 0x00000001;
    public static final int NEGOTIATE_OEM = 0x00000002;
    public static final int REQUEST_TARGET = 0x00000004;
    public static final int NEGOTIATE_SIGN = 0x00000010;
    public static final int NEGOTIATE_SEAL = 0x00000020;
    public static final int NEGOTIATE_LM_KEY = 0x00000080;
    public static final int NEGOTIATE_NTLM = 0x00000200;
    public static final int ANONYMOUS = 0x00000800;
    public static final int NEGOTIATE_ALWAYS_SIGN = 0x00008000;
    public static final int TARGET_TYPE_DOMAIN = 0x00010000;
    public static final int TARGET_TYPE_SERVER = 0x00020000;
    public static final int NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000;
    public static final int NEGOTIATE_TARGET_INFO = 0x00800000;
    public static final int NEGOTIATE_VERSION = 0x02000000;
    public static final int NEGOTIATE_128 = 0x20000000;
    public static final int NEGOTIATE_KEY_EXCH = 0x40000000;
    public static final int NEGOTIATE_56 = 0x80000000;

    public static final int AV_EOL = 0;
    public static final int AV_NB_COMPUTER_NAME = 1;
    public static final int AV_NB_DOMAIN_NAME = 2;
    public static final int AV_DNS_COMPUTER_NAME = 3;
    public static final int AV_DNS_DOMAIN_NAME = 4;
    public static final int AV_FLAGS = 6;
    public static final int AV_TIMESTAMP = 7;
    public static final int AV_FLAG_MIC_PRESENT = 0x2;

    /** Returns the message type (1, 2, 3) or throws if the bytes are not NTLMSSP. */
    public static int messageType(byte[] msg) {
        if (msg.length < 12 || !Arrays.equals(Arrays.copyOf(msg, 8), SIGNATURE)) {
            throw new AuthException("not an NTLMSSP message");
        }
        return le(msg).getInt(8);
    }

    public record Negotiate(int flags) {
        public static Negotiate decode(byte[] msg) {
            if (messageType(msg) != 1 || msg.length < 16) {
                throw new AuthException("expected NTLMSSP NEGOTIATE");
            }
            return new Negotiate(le(msg).getInt(12));
        }

        public byte[] encode() {
            ByteBuffer b = le(new byte[32]);
            b.put(SIGNATURE).putInt(1).putInt(flags);
            return b.array();
        }
    }

    public record Challenge(int flags, String targetName, byte[] serverChallenge, byte[] targetInfo) {
        public byte[] encode() {
            byte[] name = targetName.getBytes(StandardCharsets.UTF_16LE);
            int payload = 56;
            ByteBuffer b = le(new byte[payload + name.length + targetInfo.length]);
            b.put(SIGNATURE).putInt(2);
            b.putShort((short) name.length).putShort((short) name.length).putInt(payload);
            b.putInt(flags);
            b.put(serverChallenge);
            b.putLong(0);
            b.putShort((short) targetInfo.length).putShort((short) targetInfo.length).putInt(payload + name.length);
            // Version: 10.0 build 17763, NTLM revision 15 ([MS-NLMP] 2.2.2.10)
            b.put((byte) 10).put((byte) 0).putShort((short) 17763).put(new byte[]{0, 0, 0, 15});
            b.put(name).put(targetInfo);
            return b.array();
        }

        public static Challenge decode(byte[] msg) {
            if (messageType(msg) != 2 || msg.length < 48) {
                throw new AuthException("expected NTLMSSP CHALLENGE");
            }
            ByteBuffer b = le(msg);
            String name = new String(field(msg, 12), StandardCharsets.UTF_16LE);
            int flags = b.getInt(20);
            byte[] ch = Arrays.copyOfRange(msg, 24, 32);
            return new Challenge(flags, name, ch, field(msg, 40));
        }
    }

    public record Authenticate(byte[] lmResponse, byte[] ntResponse, String domain, String user, String workstation,
                               byte[] encryptedRandomSessionKey, int flags, int micOffset) {
        public static Authenticate decode(byte[] msg) {
            if (messageType(msg) != 3 || msg.length < 64) {
                throw new AuthException("expected NTLMSSP AUTHENTICATE");
            }
            int flags = le(msg).getInt(60);
            boolean unicode = (flags & NEGOTIATE_UNICODE) != 0;
            var cs = unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1;
            // The MIC follows the Version field when the payload starts at or after offset 88.
            int minPayload = minPayloadOffset(msg);
            int micOffset = minPayload >= 88 ? 72 : -1;
            return new Authenticate(field(msg, 12), field(msg, 20), new String(field(msg, 28), cs),
                new String(field(msg, 36), cs), new String(field(msg, 44), cs), field(msg, 52), flags, micOffset);
        }

        private static int minPayloadOffset(byte[] msg) {
            ByteBuffer b = le(msg);
            int min = msg.length;
            for (int f = 12; f <= 52; f += 8) {
                int len = Short.toUnsignedInt(b.getShort(f));
                int off = b.getInt(f + 4);
                if (len > 0 && off >= 0 && off < min) {
                    min = off;
                }
            }
            return min;
        }
    }

    /** Builds an AUTHENTICATE message (used by tests acting as a client). */
    public static byte[] encodeAuthenticate(byte[] lm, byte[] nt, String domain, String user, String ws,
                                            byte[] encKey, int flags) {
        byte[][] fields = {lm, nt, domain.getBytes(StandardCharsets.UTF_16LE), user.getBytes(StandardCharsets.UTF_16LE),
            ws.getBytes(StandardCharsets.UTF_16LE), encKey};
        int total = 88;
        for (byte[] f : fields) {
            total += f.length;
        }
        ByteBuffer b = le(new byte[total]);
        b.put(SIGNATURE).putInt(3);
        int off = 88;
        for (byte[] f : fields) {
            b.putShort((short) f.length).putShort((short) f.length).putInt(off);
            off += f.length;
        }
        b.putInt(flags);
        b.position(88);
        for (byte[] f : fields) {
            b.put(f);
        }
        return b.array();
    }

    /** Reads a (Len, MaxLen, Offset) field at {@code pos}. */
    static byte[] field(byte[] msg, int pos) {
        ByteBuffer b = le(msg);
        int len = Short.toUnsignedInt(b.getShort(pos));
        long off = Integer.toUnsignedLong(b.getInt(pos + 4));
        if (len == 0) {
            return new byte[0];
        }
        if (off + len > msg.length) {
            throw new AuthException("NTLMSSP field outside the message");
        }
        return Arrays.copyOfRange(msg, (int) off, (int) off + len);
    }

    public static byte[] encodeAvPairs(Map<Integer, byte[]> pairs) {
        int len = 4;
        for (byte[] v : pairs.values()) {
            len += 4 + v.length;
        }
        ByteBuffer b = le(new byte[len]);
        pairs.forEach((id, v) -> b.putShort(id.shortValue()).putShort((short) v.length).put(v));
        b.putShort((short) AV_EOL).putShort((short) 0);
        return b.array();
    }

    public static Map<Integer, byte[]> decodeAvPairs(byte[] data, int offset) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        ByteBuffer b = le(data);
        int pos = offset;
        while (pos + 4 <= data.length) {
            int id = Short.toUnsignedInt(b.getShort(pos));
            int len = Short.toUnsignedInt(b.getShort(pos + 2));
            if (id == AV_EOL || pos + 4 + len > data.length) {
                break;
            }
            out.put(id, Arrays.copyOfRange(data, pos + 4, pos + 4 + len));
            pos += 4 + len;
        }
        return out;
    }

    static ByteBuffer le(byte[] a) {
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    }
}
