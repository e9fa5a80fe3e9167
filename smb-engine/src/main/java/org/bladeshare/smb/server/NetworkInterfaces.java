package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * FSCTL_QUERY_NETWORK_INTERFACE_INFO ([MS-SMB2] 3.3.5.15.11, 2.2.32.5): the addresses a client may
 * reach this server on — the SMB listener's own address, or, when it listens on every address,
 * those of the interfaces that are up. No interface is reported RSS- or RDMA-capable, so a
 * Windows client opens no extra channels on its own.
 */
final class NetworkInterfaces {
    private static final int ENTRY_SIZE = 152;
    private static final int SOCKADDR_STORAGE_SIZE = 128;
    private static final int AF_INET = 0x0002;
    private static final int AF_INET6 = 0x0017;
    /** What a link whose speed the kernel does not report is taken to run at: 1 Gb/s. */
    private static final long UNKNOWN_LINK_SPEED = 1_000_000_000L;

    private NetworkInterfaces() {
    }

    record Entry(int ifIndex, long linkSpeed, InetAddress address) {
    }

    static byte[] describe(InetAddress bind, long maxOutput) {
        List<Entry> entries = entries(bind);
        if (entries.isEmpty()) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED, "no interface is up");
        }
        if (maxOutput < (long) entries.size() * ENTRY_SIZE) {
            throw new NtStatusException(NtStatus.BUFFER_TOO_SMALL, entries.size() + " interfaces do not fit");
        }
        return encode(entries);
    }

    static byte[] encode(List<Entry> entries) {
        ByteBuf out = Unpooled.buffer(entries.size() * ENTRY_SIZE);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            int start = out.writerIndex();
            out.writeIntLE(i + 1 < entries.size() ? ENTRY_SIZE : 0); // Next
            out.writeIntLE(e.ifIndex());
            out.writeIntLE(0); // Capability: neither RSS_CAPABLE nor RDMA_CAPABLE
            out.writeIntLE(0); // Reserved
            out.writeLongLE(e.linkSpeed());
            if (e.address() instanceof Inet4Address v4) {
                out.writeShortLE(AF_INET);
                out.writeShort(0); // Port
                out.writeBytes(v4.getAddress());
            } else {
                Inet6Address v6 = (Inet6Address) e.address();
                out.writeShortLE(AF_INET6);
                out.writeShort(0); // Port
                out.writeInt(0); // FlowInfo
                out.writeBytes(v6.getAddress());
                out.writeIntLE(v6.getScopeId());
            }
            out.writeZero(start + ENTRY_SIZE - out.writerIndex()); // the rest of SOCKADDR_STORAGE
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    private static List<Entry> entries(InetAddress bind) {
        List<Entry> entries = new ArrayList<>();
        try {
            if (!bind.isAnyLocalAddress()) {
                NetworkInterface nic = NetworkInterface.getByInetAddress(bind);
                entries.add(new Entry(nic == null ? 1 : nic.getIndex(), speed(nic), bind));
                return entries;
            }
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (!a.isLinkLocalAddress()) {
                        entries.add(new Entry(nic.getIndex(), speed(nic), a));
                    }
                }
            }
            if (entries.isEmpty()) { // a machine with only loopback still has the server on it
                entries.add(new Entry(1, UNKNOWN_LINK_SPEED, InetAddress.getLoopbackAddress()));
            }
        } catch (SocketException e) {
            throw new NtStatusException(NtStatus.NOT_SUPPORTED, "interfaces cannot be listed: " + e.getMessage());
        }
        return entries;
    }

    /** The link speed in bits per second, from /sys/class/net/IF/speed (Mb/s) where the kernel gives it. */
    private static long speed(NetworkInterface nic) {
        if (nic == null || nic.isVirtual()) {
            return UNKNOWN_LINK_SPEED;
        }
        try {
            long mbps = Long.parseLong(Files.readString(Path.of("/sys/class/net", nic.getName(), "speed")).trim());
            return mbps > 0 ? mbps * 1_000_000L : UNKNOWN_LINK_SPEED;
        } catch (IOException | NumberFormatException | SecurityException e) {
            return UNKNOWN_LINK_SPEED; // loopback, virtual links and links that are down report none
        }
    }
}
