package org.bladeshare.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLSocket;

import org.bladeshare.console.tls.ConsoleKeyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The console's HTTPS listener and REST API against {@link InMemoryConsoleBackend}, a
 * stand-in for the appliance: authentication, JSON shapes, errors, and the TLS identity
 * kept in the data directory.
 */
class ConsoleWithInMemoryBackendTest {

    private static final String PASSWORD = "s3cret-Blade";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static InMemoryConsoleBackend backend;
    private static ConsoleServer server;
    private static X509Certificate certificate;
    private static HttpClient client;

    @BeforeAll
    static void startConsole() throws Exception {
        backend = InMemoryConsoleBackend.threeNodes("blade", PASSWORD);
        server = new ConsoleServer(new ConsoleConfig("127.0.0.1", 0, dataDir), backend);
        server.start();
        certificate = ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1").certificate();
        client = PinnedTls.httpClient(certificate);
    }

    @AfterAll
    static void stopConsole() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void portZeroBindsAnEphemeralPortThatPortReports() {
        assertTrue(server.port() > 0 && server.port() <= 65535, "bound port " + server.port());
    }

    @Test
    void nodesWithoutCredentialsAreRefusedWithABasicChallengeAndAJsonError() throws Exception {
        HttpResponse<String> response = get("/api/v1/nodes", null);

        assertEquals(401, response.statusCode());
        assertEquals("Basic realm=\"Bladeshare\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
        assertJsonError(response);
    }

    @Test
    void wrongPasswordIsRefusedAfterAskingTheBackend() throws Exception {
        int before = backend.authentications.get();
        HttpResponse<String> response = get("/api/v1/nodes", basic("admin", "wrong"));

        assertEquals(401, response.statusCode());
        assertEquals("Basic realm=\"Bladeshare\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
        assertJsonError(response);
        assertTrue(backend.authentications.get() > before, "the backend checked the password");
    }

    @Test
    void malformedAuthorizationHeadersAreRefused() throws Exception {
        for (String header : List.of("Basic !!!not-base64!!!", "Bearer abc",
                "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)))) {
            HttpResponse<String> response = get("/api/v1/nodes", header);
            assertEquals(401, response.statusCode(), header);
            assertJsonError(response);
        }
    }

    @Test
    void nodesWithCredentialsAreTheBackendsNodesAsJson() throws Exception {
        HttpResponse<String> response = get("/api/v1/nodes", basic("admin", PASSWORD));

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        List<Map<String, Object>> nodes = JSON.readValue(response.body(), new TypeReference<>() { });
        assertEquals(List.of(
                Map.of("pnn", 0, "name", "blade-0", "address", "198.18.0.1", "state", "OK", "coordinator", true),
                Map.of("pnn", 1, "name", "blade-1", "address", "198.18.0.2", "state", "OK", "coordinator", false),
                Map.of("pnn", 2, "name", "blade-2", "address", "198.18.0.3", "state", "OK", "coordinator", false)),
                nodes);
    }

    @Test
    void sharesAndUsersWithCredentialsAreJsonArrays() throws Exception {
        HttpResponse<String> shares = get("/api/v1/shares", basic("admin", PASSWORD));
        assertEquals(200, shares.statusCode());
        assertEquals(List.of(
                Map.of("name", "projects", "path", "/cluster/projects", "comment", "Team projects", "encrypt", false),
                Map.of("name", "finance", "path", "/cluster/finance", "comment", "Ledgers (encrypted)", "encrypt", true)),
                JSON.readValue(shares.body(), new TypeReference<List<Map<String, Object>>>() { }));

        HttpResponse<String> users = get("/api/v1/users", basic("admin", PASSWORD));
        assertEquals(200, users.statusCode());
        assertEquals(List.of(Map.of("name", "alice"), Map.of("name", "bob")),
                JSON.readValue(users.body(), new TypeReference<List<Map<String, Object>>>() { }));
    }

    @Test
    void unknownApiPathIsAJson404() throws Exception {
        for (String path : List.of("/api/v1/nope", "/api/v2/nodes", "/api")) {
            HttpResponse<String> response = get(path, basic("admin", PASSWORD));
            assertEquals(404, response.statusCode(), path);
            assertJsonError(response);
        }
    }

    @Test
    void writingMethodsAreNotAllowed() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/api/v1/nodes"))
                .header("Authorization", basic("admin", PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(null));
        assertJsonError(response);
    }

    @Test
    void aFailingBackendIsAJson500NotAHang() throws Exception {
        backend.failing = true;
        try {
            HttpResponse<String> response = get("/api/v1/nodes", basic("admin", PASSWORD));
            assertEquals(500, response.statusCode());
            assertJsonError(response);
        } finally {
            backend.failing = false;
        }
    }

    @Test
    void consolePageIsServedOverHttpsOutsideTheApi() throws Exception {
        HttpResponse<String> response = get("/", null);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(response.body().contains("Bladeshare console"), "page title in " + response.body());
        assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(null));
        String cookie = response.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.startsWith("BLADESHARE_CONSOLE_" + server.port() + "="), "per-port session cookie: " + cookie);
        assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);

        // A path that merely starts with "api" belongs to the console, not the REST API.
        assertNotEquals(401, get("/apiary", null).statusCode());
    }

    @Test
    void lumoStylesheetIsServed() throws Exception {
        HttpResponse<String> response = get("/lumo/lumo.css", null);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("--lumo-"), "Lumo custom properties");
    }

    @Test
    void certificateIsSelfSignedEcP256NamingLoopback() throws Exception {
        certificate.verify(certificate.getPublicKey());
        assertTrue(certificate.getPublicKey() instanceof ECPublicKey ec && ec.getParams().getOrder().bitLength() == 256);
        Set<String> names = new java.util.HashSet<>();
        certificate.getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
        assertTrue(names.containsAll(Set.of("localhost", "127.0.0.1")), "SANs " + names);
    }

    @Test
    void tls12AndTls13AreAccepted() throws Exception {
        var factory = PinnedTls.trusting(certificate).getSocketFactory();
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            try (SSLSocket socket = (SSLSocket) factory.createSocket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(5000);
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                assertEquals(protocol, socket.getSession().getProtocol());
            }
        }
    }

    @Test
    void keystoreAndItsPasswordAreReadableByTheOwnerOnly() throws Exception {
        Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertEquals(ownerOnly, Files.getPosixFilePermissions(dataDir.resolve(ConsoleKeyStore.KEYSTORE_FILE)));
        assertEquals(ownerOnly, Files.getPosixFilePermissions(dataDir.resolve(ConsoleKeyStore.PASSWORD_FILE)));
    }

    @Test
    void certificateIsKeptAcrossRestartsAndDiffersPerDataDirectory(@TempDir Path ownDir, @TempDir Path otherDir)
            throws Exception {
        String first;
        try (ConsoleServer console = new ConsoleServer(new ConsoleConfig("127.0.0.1", 0, ownDir), backend)) {
            console.start();
            first = presentedFingerprint(console, ownDir);
        }
        String second;
        try (ConsoleServer console = new ConsoleServer(new ConsoleConfig("127.0.0.1", 0, ownDir), backend)) {
            console.start();
            second = presentedFingerprint(console, ownDir);
        }
        assertEquals(first, second, "same certificate after a restart");
        assertEquals(first, PinnedTls.sha256(ConsoleKeyStore.loadOrCreate(ownDir, "127.0.0.1").certificate()));

        try (ConsoleServer console = new ConsoleServer(new ConsoleConfig("127.0.0.1", 0, otherDir), backend)) {
            console.start();
            assertNotEquals(first, presentedFingerprint(console, otherDir), "each data directory has its own key");
        }
    }

    @Test
    void aPortInUseIsABindExceptionWithAOneSentenceMessage(@TempDir Path ownDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ConsoleServer console = new ConsoleServer(new ConsoleConfig("127.0.0.1", taken.getLocalPort(), ownDir), backend);
            BindException e = assertThrows(BindException.class, console::start);
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            console.close();
        }
    }

    @Test
    void anAddressThatCannotBeBoundIsAnIOExceptionWithAOneSentenceMessage(@TempDir Path ownDir) {
        // 192.0.2.0/24 (RFC 5737, TEST-NET-1) is on no interface of this machine.
        ConsoleServer console = new ConsoleServer(new ConsoleConfig("192.0.2.1", 0, ownDir), backend);
        java.io.IOException e = assertThrows(java.io.IOException.class, console::start);
        assertTrue(e.getMessage().startsWith("Cannot listen on 192.0.2.1:0"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        console.close();
    }

    @Test
    void closeReleasesThePortAndCanBeRepeated(@TempDir Path ownDir) throws Exception {
        ConsoleServer console = new ConsoleServer(new ConsoleConfig("127.0.0.1", 0, ownDir), backend);
        console.start();
        int port = console.port();
        console.close();
        console.close();
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/api/v1/users"))
                .header("Authorization", basic("admin", PASSWORD))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void twoConsolesInOneJvmServeTheirOwnBackends(@TempDir Path ownDir) throws Exception {
        InMemoryConsoleBackend other = InMemoryConsoleBackend.threeNodes("other", "other-password");
        try (ConsoleServer console = new ConsoleServer(new ConsoleConfig("127.0.0.1", 0, ownDir), other)) {
            console.start();
            HttpClient otherClient = PinnedTls.httpClient(ConsoleKeyStore.loadOrCreate(ownDir, "127.0.0.1").certificate());
            HttpResponse<String> response = otherClient.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + console.port() + "/api/v1/nodes"))
                    .header("Authorization", basic("admin", "other-password"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("other-0"), response.body());
            assertEquals(401, get("/api/v1/nodes", basic("admin", "other-password")).statusCode(),
                    "the first console still asks its own backend");
        }
    }

    /** The fingerprint of the certificate the console presents, trusting the one kept in {@code dir}. */
    private static String presentedFingerprint(ConsoleServer console, Path dir) throws Exception {
        X509Certificate kept = ConsoleKeyStore.loadOrCreate(dir, "127.0.0.1").certificate();
        HttpResponse<String> response = PinnedTls.httpClient(kept).send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + console.port() + "/api/v1/nodes"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        return PinnedTls.sha256(response.sslSession().orElseThrow().getPeerCertificates()[0]);
    }

    private static void assertJsonError(HttpResponse<String> response) throws Exception {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "JSON content type");
        Map<String, Object> body = JSON.readValue(response.body(), new TypeReference<>() { });
        assertTrue(body.get("error") instanceof String message && !message.isBlank(), "error message in " + body);
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
