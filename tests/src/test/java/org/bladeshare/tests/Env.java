package org.bladeshare.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Where the project is, and free loopback ports. */
public final class Env {
    /** The project's root (the parent of this module). */
    public static final Path HOME = Path.of(System.getProperty("bladeshare.home", "..")).toAbsolutePath().normalize();
    public static final Path BLADESHARE = HOME.resolve("bin/bladeshare");
    public static final Path BLADECTL = HOME.resolve("bin/bladectl");

    private Env() {
    }

    /** Below Linux's ephemeral range (32768-60999), so no outgoing connection takes it while a node restarts. */
    private static final int FIRST_PORT = 20000;
    private static final int LAST_PORT = 32767;

    /** Every port {@link #freePort} gave: a node given two that were free then would fail on the second. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A TCP port free on loopback right now and not given before, outside the ephemeral range: a
     * port taken from that range (as port 0 gives) can be handed to some outgoing connection while
     * its node is down, and the node then cannot listen on it again when it restarts.
     */
    public static int freePort() {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = random.nextInt(FIRST_PORT, LAST_PORT + 1);
            boolean fresh;
            synchronized (HANDED_OUT) {
                fresh = HANDED_OUT.add(port);
            }
            if (!fresh) {
                continue; // free now, but given to a node of this run that may not be listening yet
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port between " + FIRST_PORT + " and " + LAST_PORT));
    }

    /** JGroups' FD_SOCK2 listens on the first free port of cluster port + 100 ... + 150 (JGroupsStack). */
    private static final int FD_SOCK_OFFSET = 100;
    private static final int FD_SOCK_RANGE = 50;

    /**
     * A free port for a node's cluster transport, as {@link #freePort}, whose failure-detection
     * window (port + 100 ... + 150) holds no port handed out before; the window is reserved too, so
     * no later SMB or console port lands where the node's FD_SOCK2 may be listening.
     */
    public static int freeClusterPort() {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = random.nextInt(FIRST_PORT, LAST_PORT - FD_SOCK_OFFSET - FD_SOCK_RANGE + 1);
            java.util.List<Integer> window = new java.util.ArrayList<>();
            window.add(port);
            for (int p = port + FD_SOCK_OFFSET; p <= port + FD_SOCK_OFFSET + FD_SOCK_RANGE; p++) {
                window.add(p);
            }
            synchronized (HANDED_OUT) {
                if (window.stream().anyMatch(HANDED_OUT::contains)) {
                    continue;
                }
                HANDED_OUT.addAll(window);
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // try another; the window stays reserved, which costs nothing
            }
        }
        throw new UncheckedIOException(new IOException("no free cluster port with its failure-detection window between "
            + FIRST_PORT + " and " + LAST_PORT));
    }
}
