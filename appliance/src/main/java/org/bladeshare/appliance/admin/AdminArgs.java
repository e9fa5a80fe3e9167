package org.bladeshare.appliance.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading a control's arguments, with the sentence bladectl shows when one is missing. */
public final class AdminArgs {
    private AdminArgs() {
    }

    public static String text(JsonNode args, String field) {
        JsonNode v = args.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing argument '" + field + "'");
        }
        return v.asText();
    }

    public static long number(JsonNode args, String field) {
        JsonNode v = args.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new IllegalArgumentException("missing number '" + field + "'");
        }
        return v.asLong();
    }
}
