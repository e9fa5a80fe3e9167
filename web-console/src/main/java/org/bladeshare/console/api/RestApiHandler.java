package org.bladeshare.console.api;

import java.util.Map;
import java.util.function.Function;

import org.bladeshare.console.port.ConsoleBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/**
 * The REST API, mounted under {@code /api}: read-only resources under {@code /v1}, JSON via
 * Jackson, HTTP Basic authentication (RFC 7617) checked by {@link ConsoleBackend#authenticate}.
 * <p>
 * Every request is authenticated before it is routed, so an unauthenticated caller learns
 * nothing of which paths exist (401 everywhere); an authenticated one gets 404 for an unknown
 * path and 405 for a method other than GET/HEAD. Errors are JSON objects {@code {"error": "..."}}.
 */
public final class RestApiHandler implements HttpHandler {

    public static final String REALM = "Bladeshare";
    static final String JSON = "application/json; charset=utf-8";

    private static final Logger LOG = LoggerFactory.getLogger(RestApiHandler.class);

    private final ConsoleBackend backend;
    private final ObjectMapper json = new ObjectMapper();
    /** Path below /api to the backend call that answers it. */
    private final Map<String, Function<ConsoleBackend, Object>> resources = Map.of(
            "/v1/nodes", ConsoleBackend::nodes,
            "/v1/shares", ConsoleBackend::shares,
            "/v1/users", ConsoleBackend::users);

    public RestApiHandler(ConsoleBackend backend) {
        this.backend = backend;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            // The backend may block (password hashing, cluster look-ups): never on an I/O thread.
            exchange.dispatch(this);
            return;
        }
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");

        var credentials = BasicCredentials.parse(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        if (credentials.isEmpty()) {
            unauthorized(exchange, "authentication required: HTTP Basic with the console administrator's credentials");
            return;
        }
        if (!authenticate(credentials.get())) {
            unauthorized(exchange, "wrong user name or password");
            return;
        }

        String path = exchange.getRelativePath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        Function<ConsoleBackend, Object> resource = resources.get(path);
        if (resource == null) {
            error(exchange, 404, "no such resource: " + exchange.getRequestPath());
            return;
        }
        HttpString method = exchange.getRequestMethod();
        if (!method.equals(Methods.GET) && !method.equals(Methods.HEAD)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            error(exchange, 405, "method " + method + " is not allowed on " + exchange.getRequestPath());
            return;
        }

        Object body;
        try {
            body = resource.apply(backend);
        } catch (RuntimeException e) {
            LOG.warn("REST {} failed in the backend", exchange.getRequestPath(), e);
            error(exchange, 500, "the appliance could not answer: " + e.getClass().getSimpleName());
            return;
        }
        send(exchange, 200, body);
    }

    private boolean authenticate(BasicCredentials credentials) {
        try {
            return backend.authenticate(credentials.user(), credentials.password());
        } catch (RuntimeException e) {
            LOG.warn("The backend failed to check a REST login for user {}", credentials.user(), e);
            return false;
        }
    }

    private void unauthorized(HttpServerExchange exchange, String message) throws JsonProcessingException {
        // RFC 7235 3.1: a 401 carries a challenge for the resource.
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        error(exchange, 401, message);
    }

    private void error(HttpServerExchange exchange, int status, String message) throws JsonProcessingException {
        send(exchange, status, Map.of("error", message));
    }

    private void send(HttpServerExchange exchange, int status, Object body) throws JsonProcessingException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(bytes));
        }
    }
}
