package org.bladeshare.hardware.net;

import java.io.UncheckedIOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** The real interfaces of the network namespace this JVM runs in, as the kernel reports them. */
public final class LinuxNetwork implements NetworkPort {
    @Override
    public List<Nic> nics() {
        try {
            List<Nic> nics = new ArrayList<>();
            for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
                if (ni.isVirtual()) {
                    continue; // alias sub-interfaces are reported through their parent
                }
                List<String> addresses = new ArrayList<>();
                for (InterfaceAddress a : ni.getInterfaceAddresses()) {
                    String host = a.getAddress().getHostAddress();
                    int zone = host.indexOf('%');
                    addresses.add((zone >= 0 ? host.substring(0, zone) : host) + "/" + a.getNetworkPrefixLength());
                }
                byte[] hw = ni.getHardwareAddress();
                String mac = hw == null ? "" : HexFormat.ofDelimiter(":").formatHex(hw);
                nics.add(new Nic(ni.getName(), ni.isUp(), ni.isLoopback(), mac, addresses));
            }
            nics.sort(Comparator.comparing(Nic::name));
            return nics;
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot list network interfaces: " + e.getMessage(), e);
        }
    }
}
