package org.bladeshare.smb.dtyp;

import io.netty.buffer.ByteBuf;

/**
 * Self-relative security descriptors ([MS-DTYP] 2.4.6). The engine has no per-file ACLs yet:
 * it reports owner and group "Everyone" and a DACL granting Everyone full (or read) access.
 */
public final class SecurityDescriptor {
    private SecurityDescriptor() {
    }

    public static final int OWNER = 0x1;
    public static final int GROUP = 0x2;
    public static final int DACL = 0x4;
    private static final byte[] EVERYONE = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}; // S-1-1-0

    public static void encodeDefault(ByteBuf out, int additionalInformation, boolean readOnly) {
        boolean owner = (additionalInformation & OWNER) != 0;
        boolean group = (additionalInformation & GROUP) != 0;
        boolean dacl = (additionalInformation & DACL) != 0;
        int start = out.writerIndex();
        out.writeByte(1); // Revision
        out.writeByte(0);
        out.writeShortLE(0x8000 | (dacl ? 0x0004 : 0)); // SELF_RELATIVE | DACL_PRESENT
        int offsets = out.writerIndex();
        out.writeZero(16);
        if (owner) {
            out.setIntLE(offsets, out.writerIndex() - start);
            out.writeBytes(EVERYONE);
        }
        if (group) {
            out.setIntLE(offsets + 4, out.writerIndex() - start);
            out.writeBytes(EVERYONE);
        }
        if (dacl) {
            out.setIntLE(offsets + 12, out.writerIndex() - start);
            int aceSize = 4 + 4 + EVERYONE.length;
            out.writeByte(2); // ACL revision
            out.writeByte(0);
            out.writeShortLE(8 + aceSize);
            out.writeShortLE(1);
            out.writeShortLE(0);
            out.writeByte(0); // ACCESS_ALLOWED_ACE_TYPE
            out.writeByte(0);
            out.writeShortLE(aceSize);
            out.writeIntLE(readOnly ? 0x001200A9 : 0x001F01FF);
            out.writeBytes(EVERYONE);
        }
    }
}
