package org.bladeshare.smb.dtyp;

import io.netty.buffer.ByteBuf;

import java.util.UUID;

/** GUID packet representation ([MS-DTYP] 2.3.4.2): Data1-3 little-endian, Data4 as bytes. */
public final class Guid {
    private Guid() {
    }

    public static void write(ByteBuf out, UUID id) {
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        out.writeIntLE((int) (msb >>> 32));
        out.writeShortLE((int) (msb >>> 16));
        out.writeShortLE((int) msb);
        out.writeLong(lsb);
    }

    public static UUID read(ByteBuf in) {
        long d1 = in.readUnsignedIntLE();
        long d2 = in.readUnsignedShortLE();
        long d3 = in.readUnsignedShortLE();
        long d4 = in.readLong();
        return new UUID((d1 << 32) | (d2 << 16) | d3, d4);
    }
}
