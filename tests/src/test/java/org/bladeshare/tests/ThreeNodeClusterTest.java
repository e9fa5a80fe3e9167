package org.bladeshare.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The walking skeleton end to end: three nodes boot from the fat JAR as separate processes,
 * see each other, serve a share made with bladectl through any node to Samba's smbclient,
 * and show themselves in the console to a real browser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeClusterTest {
    private static final String PASSWORD = "Alice-pass-1";
    private static final String ADMIN_PASSWORD = "Console-pass-1";
    private Path work;
    private List<NodeProcess> nodes = new ArrayList<>();

    @BeforeAll
    void bootCluster() throws Exception {
        work = Files.createTempDirectory("bladeshare-e2e");
        nodes = NodeProcess.startCluster(work, 3);
        for (NodeProcess n : nodes) {
            n.awaitOk(3, Duration.ofSeconds(120));
        }
    }

    @AfterAll
    void stopCluster() {
        nodes.forEach(NodeProcess::close);
    }

    @Test
    @Order(1)
    void statusJsonShowsThreeNodesOkWithOneCoordinator() {
        for (NodeProcess n : nodes) {
            JsonNode status = n.status();
            assertNotNull(status, n.name + " answers status");
            JsonNode list = status.path("nodes");
            assertEquals(3, list.size(), status::toString);
            Set<String> names = new HashSet<>();
            int coordinators = 0;
            for (int i = 0; i < 3; i++) {
                JsonNode node = list.get(i);
                assertEquals(i, node.path("pnn").asInt());
                assertEquals("OK", node.path("state").asText());
                assertEquals("127.0.0.1:" + nodes.get(i).clusterPort, node.path("address").asText());
                names.add(node.path("name").asText());
                coordinators += node.path("coordinator").asBoolean() ? 1 : 0;
                assertEquals(nodes.get(i) == n, node.path("self").asBoolean(), "self flag of pnn " + i + " on " + n.name);
            }
            assertEquals(Set.of("node1", "node2", "node3"), names);
            assertEquals(1, coordinators, "exactly one coordinator: " + status);
            assertEquals(status.path("coordinator").asInt(), pnnOfCoordinator(list));
        }
        Proc text = nodes.get(0).ctl(null, "status");
        assertEquals(0, text.exit(), text::toString);
        assertTrue(text.out().contains("OK (THIS NODE)"), text::toString);
    }

    private static int pnnOfCoordinator(JsonNode list) {
        for (JsonNode n : list) {
            if (n.path("coordinator").asBoolean()) {
                return n.path("pnn").asInt();
            }
        }
        return -1;
    }

    @Test
    @Order(2)
    void userAndShareMadeOnNode1AreServedByNode2ToSmbclient() throws Exception {
        Proc add = nodes.get(0).ctl(PASSWORD + "\n", "user", "add", "alice");
        assertEquals(0, add.exit(), add::toString);
        Path share = Files.createDirectories(work.resolve("shared/public"));
        Proc shareAdd = nodes.get(0).ctl(null, "share", "add", "public", share.toString());
        assertEquals(0, shareAdd.exit(), shareAdd::toString);

        Proc users = nodes.get(2).ctl(null, "user", "list", "--json");
        assertTrue(users.out().contains("\"alice\""), "node3 lists the user made on node1: " + users);
        assertFalse(users.out().toLowerCase().contains(PASSWORD.toLowerCase()), "no password in the listing");

        byte[] data = new byte[16 << 20];
        new Random(42).nextBytes(data);
        Path in = Files.write(work.resolve("in.bin"), data);
        Path out = work.resolve("out.bin");
        NodeProcess node2 = nodes.get(1);
        Proc smb = Proc.run(List.of("smbclient", "//127.0.0.1/public", "-p", Integer.toString(node2.smbPort),
                "-U", "alice%" + PASSWORD, "-c", "put " + in + " in.bin; get in.bin " + out), null, Duration.ofSeconds(120));
        assertEquals(0, smb.exit(), smb::toString);
        assertEquals(sha256(data), sha256(Files.readAllBytes(out)), "16 MiB came back unchanged through node2");
        assertEquals(sha256(data), sha256(Files.readAllBytes(share.resolve("in.bin"))), "and landed on the shared filesystem");
    }

    @Test
    @Order(3)
    void wrongSmbPasswordIsLogonFailure() {
        Proc smb = Proc.run(List.of("smbclient", "//127.0.0.1/public", "-p", Integer.toString(nodes.get(2).smbPort),
                "-U", "alice%wrong-password", "-c", "ls"), null, Duration.ofSeconds(60));
        assertNotEquals(0, smb.exit());
        assertTrue((smb.out() + smb.err()).contains("NT_STATUS_LOGON_FAILURE"), smb::toString);
    }

    @Test
    @Order(4)
    void restApiRefusesStrangersAndListsNodesToTheAdmin() throws Exception {
        Proc pw = nodes.get(0).ctl(ADMIN_PASSWORD + "\n", "admin", "password");
        assertEquals(0, pw.exit(), pw::toString);
        HttpClient http = insecureClient();
        URI uri = URI.create("https://127.0.0.1:" + nodes.get(2).consolePort + "/api/v1/nodes");
        HttpResponse<String> anon = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anon.statusCode());
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode(), ok::body);
        JsonNode list = new ObjectMapper().readTree(ok.body());
        assertEquals(3, list.size(), ok::body);
        for (JsonNode n : list) {
            assertEquals("OK", n.path("state").asText(), ok::body);
        }
    }

    @Test
    @Order(5)
    void consoleLoginInARealBrowserShowsThreeNodesOk() throws Exception {
        if (nodes.get(0).ctl(null, "status").exit() != 0) {
            fail("node1 down before the browser test");
        }
        nodes.get(0).ctl(ADMIN_PASSWORD + "\n", "admin", "password");
        try (Browser b = new Browser()) {
            b.driver().get("https://127.0.0.1:" + nodes.get(0).consolePort + "/");
            b.visible("input[name='username']", Duration.ofSeconds(60)).sendKeys("admin");
            b.visible("input[type='password']", Duration.ofSeconds(10)).sendKeys("not-the-password", Keys.ENTER);
            String refused = b.awaitText(t -> t.toLowerCase().contains("incorrect") || t.toLowerCase().contains("wrong"),
                    Duration.ofSeconds(20));
            assertTrue(refused.toLowerCase().contains("incorrect") || refused.toLowerCase().contains("wrong"),
                    "a wrong password is told on the form: " + refused);

            var user = b.visible("input[name='username']", Duration.ofSeconds(10));
            user.clear();
            user.sendKeys("admin");
            var pass = b.visible("input[type='password']", Duration.ofSeconds(10));
            pass.clear();
            pass.sendKeys(ADMIN_PASSWORD, Keys.ENTER);
            String page = b.awaitText(t -> t.contains("node1") && t.contains("node2") && t.contains("node3")
                    && t.split("\\bOK\\b", -1).length - 1 >= 3, Duration.ofSeconds(40));
            b.screenshot(Path.of("target/screenshots/dashboard.png"));
            assertTrue(page.contains("node1") && page.contains("node2") && page.contains("node3"), page);
            assertTrue(page.split("\\bOK\\b", -1).length - 1 >= 3, "three nodes OK on the dashboard: " + page);
        }
    }

    static HttpClient insecureClient() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[]{trustAll}, new SecureRandom());
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
