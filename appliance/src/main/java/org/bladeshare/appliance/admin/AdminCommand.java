package org.bladeshare.appliance.admin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One control of the node, as {@code ctdb}'s controls are: takes the request's arguments and
 * returns a value that becomes the JSON result. Throwing {@link IllegalArgumentException}
 * reports bad input in its message.
 */
@FunctionalInterface
public interface AdminCommand {
    Object run(JsonNode args) throws Exception;
}
