package org.bladeshare.console.port;

/** One share as the console shows it. */
public record ShareView(String name, String path, String comment, boolean encrypt) {
}
