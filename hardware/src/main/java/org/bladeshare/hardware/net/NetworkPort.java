package org.bladeshare.hardware.net;

import java.util.List;

/** The blade's network interfaces. Public-IP takeover (address add/remove, gratuitous ARP) extends this port. */
public interface NetworkPort {
    /** Every interface the blade has, sorted by name. */
    List<Nic> nics();
}
