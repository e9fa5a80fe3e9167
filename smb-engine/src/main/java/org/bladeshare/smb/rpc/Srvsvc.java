package org.bladeshare.smb.rpc;

import org.bladeshare.smb.server.ShareConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The server service ([MS-SRVS]): share enumeration and share info for "smbclient -L" and Explorer. */
public final class Srvsvc implements RpcInterface {
    public static final UUID UUID_SRVSVC = UUID.fromString("4b324fc8-1670-01d3-1278-5a47bf6ee188");
    static final int OP_NET_SHARE_ENUM_ALL = 15;
    static final int OP_NET_SHARE_GET_INFO = 16;
    static final long STYPE_DISKTREE = 0;
    static final long STYPE_IPC_SPECIAL = 0x80000003L;
    static final long ERROR_INVALID_LEVEL = 124;
    static final long NERR_NET_NAME_NOT_FOUND = 2310;

    /** A share as srvsvc reports it. */
    public record Entry(String name, long type, String remark) {
    }

    private final Supplier<List<Entry>> shares;

    public Srvsvc(Supplier<List<Entry>> shares) {
        this.shares = shares;
    }

    /** The entries for configured shares plus IPC$. */
    public static List<Entry> entries(List<ShareConfig> configured) {
        List<Entry> out = new ArrayList<>();
        for (ShareConfig s : configured) {
            out.add(new Entry(s.name(), STYPE_DISKTREE, s.comment() == null ? "" : s.comment()));
        }
        out.add(new Entry("IPC$", STYPE_IPC_SPECIAL, "IPC Service"));
        return out;
    }

    @Override
    public UUID uuid() {
        return UUID_SRVSVC;
    }

    @Override
    public int majorVersion() {
        return 3;
    }

    @Override
    public byte[] call(int opnum, byte[] stub) {
        return switch (opnum) {
            case OP_NET_SHARE_ENUM_ALL -> netShareEnumAll(new Ndr.Reader(stub));
            case OP_NET_SHARE_GET_INFO -> netShareGetInfo(new Ndr.Reader(stub));
            default -> throw new RpcFault(RpcFault.NCA_S_OP_RNG_ERROR, "srvsvc opnum " + opnum);
        };
    }

    /** [MS-SRVS] 3.1.4.8 NetrShareEnum (opnum 15), levels 0 and 1. */
    private byte[] netShareEnumAll(Ndr.Reader in) {
        if (in.u32() != 0) {
            in.string(); // ServerName
        }
        long level = in.u32();
        List<Entry> list = shares.get();
        Ndr.Writer w = new Ndr.Writer();
        if (level != 0 && level != 1) {
            w.u32(level).u32(level).nullPointer().u32(0).nullPointer().u32(ERROR_INVALID_LEVEL);
            return w.bytes();
        }
        w.u32(level);                 // SHARE_ENUM_STRUCT.Level
        w.u32(level).pointer();       // union discriminant, container pointer
        w.u32(list.size()).pointer(); // container: EntriesRead, Buffer
        w.u32(list.size());           // conformant array size
        for (Entry e : list) {
            w.pointer();
            if (level == 1) {
                w.u32(e.type()).pointer();
            }
        }
        for (Entry e : list) {
            w.string(e.name());
            if (level == 1) {
                w.string(e.remark());
            }
        }
        w.u32(list.size());           // TotalEntries
        w.pointer().u32(0);           // ResumeHandle
        w.u32(0);                     // WERR_OK
        return w.bytes();
    }

    /** [MS-SRVS] 3.1.4.10 NetrShareGetInfo (opnum 16), levels 0 and 1. */
    private byte[] netShareGetInfo(Ndr.Reader in) {
        if (in.u32() != 0) {
            in.string();
        }
        String name = in.string();
        long level = in.u32();
        Ndr.Writer w = new Ndr.Writer();
        Entry found = shares.get().stream().filter(e -> e.name().equalsIgnoreCase(name)).findFirst().orElse(null);
        if (found == null || (level != 0 && level != 1)) {
            w.u32(level).nullPointer().u32(found == null ? NERR_NET_NAME_NOT_FOUND : ERROR_INVALID_LEVEL);
            return w.bytes();
        }
        w.u32(level).pointer();
        w.pointer();
        if (level == 1) {
            w.u32(found.type()).pointer();
        }
        w.string(found.name());
        if (level == 1) {
            w.string(found.remark());
        }
        w.u32(0);
        return w.bytes();
    }
}
