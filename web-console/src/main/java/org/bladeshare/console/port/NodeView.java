package org.bladeshare.console.port;

/** One cluster node as the console shows it. */
public record NodeView(int pnn, String name, String address, String state, boolean coordinator) {
}
