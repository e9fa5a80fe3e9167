package org.bladeshare.hardware.net;

import java.util.List;

/**
 * One network interface of the blade.
 *
 * @param name      kernel name ("eth0", "lo")
 * @param up        whether the link is administratively up
 * @param loopback  whether it is a loopback device
 * @param mac       hardware address as "aa:bb:cc:dd:ee:ff", empty when it has none
 * @param addresses its addresses in CIDR form ("192.0.2.10/24")
 */
public record Nic(String name, boolean up, boolean loopback, String mac, List<String> addresses) {
    public Nic {
        addresses = List.copyOf(addresses);
    }
}
