package org.bladeshare.appliance;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Parses the ADDR:PORT forms of the command line, with a sentence when they are wrong. */
final class HostPort {
    private HostPort() {
    }

    static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not ADDR:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(address(host), port(text.substring(colon + 1), text));
    }

    static List<InetSocketAddress> parseList(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part.trim()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the peer list is empty");
        }
        return out;
    }

    static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' is not an address this machine can resolve");
        }
    }

    static int port(String digits, String context) {
        try {
            int port = Integer.parseInt(digits);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("'" + context + "' has no port between 1 and 65535");
    }
}
