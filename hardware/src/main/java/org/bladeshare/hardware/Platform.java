package org.bladeshare.hardware;

import org.bladeshare.hardware.net.LinuxNetwork;
import org.bladeshare.hardware.net.NetworkPort;
import org.bladeshare.hardware.net.SimulatedNetwork;

import java.util.Locale;

/**
 * The platform seam: the blade's body. Each device has a Linux implementation and a
 * simulated one; which is chosen once, at boot. Disks, snapshots, tape, the front panel and
 * the watchdog join the network here as their issues land.
 *
 * @param kind    "linux" or "simulated"
 * @param network the network interfaces
 */
public record Platform(String kind, NetworkPort network) {

    /** Picks the platform by name: "linux", "simulated", or "auto" (Linux when running on Linux). */
    public static Platform select(String kind) {
        String k = kind == null ? "auto" : kind.toLowerCase(Locale.ROOT);
        return switch (k) {
            case "linux" -> linux();
            case "simulated" -> new Platform("simulated", SimulatedNetwork.standardBlade());
            case "auto" -> System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                    ? linux() : new Platform("simulated", SimulatedNetwork.standardBlade());
            default -> throw new IllegalArgumentException(
                    "unknown platform '" + kind + "': use linux, simulated or auto");
        };
    }

    private static Platform linux() {
        return new Platform("linux", new LinuxNetwork());
    }
}
