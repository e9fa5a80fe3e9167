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

    /** A TCP port free on loopback right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
