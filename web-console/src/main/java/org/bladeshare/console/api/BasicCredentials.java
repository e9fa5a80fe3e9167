package org.bladeshare.console.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * User name and password of an HTTP Basic {@code Authorization} header (RFC 7617 2):
 * {@code Basic base64(user ":" password)}, UTF-8 as announced by {@code charset="UTF-8"}.
 */
public record BasicCredentials(String user, String password) {

    /** The credentials, or empty when the header is absent or not well-formed Basic. */
    public static Optional<BasicCredentials> parse(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        String header = authorizationHeader.strip();
        int space = header.indexOf(' ');
        // RFC 7235 2.1: the scheme name is case-insensitive.
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Basic")) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(space + 1).strip());
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        String userPass;
        try {
            userPass = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
        // RFC 7617 2: the user-id cannot contain a colon; the password may.
        int colon = userPass.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(userPass.substring(0, colon), userPass.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=***]";
    }
}
