package org.bladeshare.console.port;

/** One SMB user as the console shows it (never a password or hash). */
public record UserView(String name) {
}
