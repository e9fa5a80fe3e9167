package org.bladeshare.console;

import java.nio.file.Path;

/**
 * Where the console listens.
 *
 * @param bindAddress address of the HTTPS listener
 * @param port        HTTPS port (8443 by default)
 * @param dataDir     node data directory: the self-signed certificate made at first boot is kept here
 */
public record ConsoleConfig(String bindAddress, int port, Path dataDir) {
}
