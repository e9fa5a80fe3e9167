package org.bladeshare.tests.cluster;

import org.bladeshare.tests.Proc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A test network made of Linux network namespaces, created and torn down by the test: a
 * switch namespace holding a bridge, and one namespace per node joined to it by a veth pair,
 * node i at 198.18.0.i/24 (the benchmarking range; no route leaves the lab). Cutting node
 * i's link is {@code ip link set} down on the switch side of its veth pair: its packets are
 * dropped silently, as with a pulled cable, so no TCP connection is reset.
 */
final class NetnsLab implements AutoCloseable {
    private final String prefix;
    private final String sw;
    private final int nodes;
    private final List<String> created = new ArrayList<>();

    private NetnsLab(int nodes) {
        this.prefix = "bs" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        this.sw = prefix + "-sw";
        this.nodes = nodes;
    }

    /** Builds the lab; whatever was created is removed again if a step fails. */
    static NetnsLab create(int nodes) {
        NetnsLab lab = new NetnsLab(nodes);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    private void build() {
        addNamespace(sw);
        ip("-n", sw, "link", "add", "br0", "type", "bridge");
        ip("-n", sw, "link", "set", "br0", "up");
        for (int i = 1; i <= nodes; i++) {
            String ns = namespace(i);
            addNamespace(ns);
            ip("-n", sw, "link", "add", "v" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", sw, "link", "set", "v" + i, "master", "br0");
            ip("-n", sw, "link", "set", "v" + i, "up");
            ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
        }
    }

    String namespace(int i) {
        return prefix + "-n" + i;
    }

    static String address(int i) {
        return "198.18.0." + i;
    }

    /** The command prefix that runs a program inside node i's namespace. */
    List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** Pulls node i's cable. */
    void cut(int i) {
        ip("-n", sw, "link", "set", "v" + i, "down");
    }

    /** Plugs node i's cable back in. */
    void heal(int i) {
        ip("-n", sw, "link", "set", "v" + i, "up");
    }

    private void addNamespace(String ns) {
        ip("netns", "add", ns);
        created.add(ns);
    }

    static Proc ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Proc p = Proc.run(cmd, null, Duration.ofSeconds(20));
        if (p.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + p);
        }
        return p;
    }

    /** Deletes every namespace it made (their veth ends and the bridge go with them). */
    @Override
    public void close() {
        for (String ns : created.reversed()) {
            Proc p = Proc.run(List.of("ip", "netns", "delete", ns), null, Duration.ofSeconds(20));
            for (int retry = 0; p.exit() != 0 && retry < 3; retry++) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                p = Proc.run(List.of("ip", "netns", "delete", ns), null, Duration.ofSeconds(20));
            }
            if (p.exit() != 0) {
                System.err.println("could not delete network namespace " + ns + ": " + p);
            }
        }
        created.clear();
    }
}
