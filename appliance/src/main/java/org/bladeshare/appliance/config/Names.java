package org.bladeshare.appliance.config;

import java.util.regex.Pattern;

/** What makes a user or share name acceptable, with the sentence that says why not. */
final class Names {
    /** Windows account names: no \ / [ ] : ; | = , + * ? < > " @ and at most 64 characters here. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Share names: printable, none of \ / : * ? " < > |, at most 80 characters ([MS-SRVS] limits shi1_netname to 80). */
    private static final Pattern SHARE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._$-]{0,79}");

    private Names() {
    }

    static String user(String name) {
        if (name == null || !USER.matcher(name).matches()) {
            throw new IllegalArgumentException("user name '" + name
                    + "' is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    static String share(String name) {
        if (name == null || !SHARE.matcher(name).matches() || name.endsWith(" ")) {
            throw new IllegalArgumentException("share name '" + name
                    + "' is not valid: use 1 to 80 letters, digits, spaces, '.', '_', '$' or '-'");
        }
        if (name.equalsIgnoreCase("IPC$")) {
            throw new IllegalArgumentException("share name IPC$ is reserved for the server's named pipes");
        }
        return name;
    }
}
