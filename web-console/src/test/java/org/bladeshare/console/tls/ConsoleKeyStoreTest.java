package org.bladeshare.console.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleKeyStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void secondLoadReturnsTheKeptCertificate() throws IOException {
        X509Certificate first = ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1").certificate();
        X509Certificate second = ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1").certificate();
        assertEquals(first, second);
    }

    @Test
    void certificateNamesTheBindAddressAsIpOrDnsName() throws Exception {
        X509Certificate byIp = ConsoleKeyStore.loadOrCreate(dataDir.resolve("ip"), "198.18.0.7").certificate();
        assertTrue(ConsoleKeyStore.subjectAltNames(byIp).containsAll(Set.of("localhost", "127.0.0.1", "198.18.0.7")));
        assertTrue(byIp.getSubjectAlternativeNames().stream()
                .anyMatch(san -> san.get(0).equals(7) && san.get(1).equals("198.18.0.7")), "iPAddress SAN (type 7)");

        X509Certificate byName = ConsoleKeyStore.loadOrCreate(dataDir.resolve("dns"), "blade1.example").certificate();
        assertTrue(byName.getSubjectAlternativeNames().stream()
                .anyMatch(san -> san.get(0).equals(2) && san.get(1).equals("blade1.example")), "dNSName SAN (type 2)");
    }

    @Test
    void anIpv6BindAddressIsNamedAndTheCertificateKept() throws IOException {
        X509Certificate first = ConsoleKeyStore.loadOrCreate(dataDir, "::1").certificate();
        assertTrue(ConsoleKeyStore.subjectAltNames(first).contains("0:0:0:0:0:0:0:1"));
        assertEquals(first, ConsoleKeyStore.loadOrCreate(dataDir, "::1").certificate());
    }

    @Test
    void wildcardBindAddressAddsNoName() throws IOException {
        X509Certificate any = ConsoleKeyStore.loadOrCreate(dataDir, "0.0.0.0").certificate();
        assertEquals(Set.of("localhost", "127.0.0.1"), ConsoleKeyStore.subjectAltNames(any));
    }

    @Test
    void aNewBindAddressGetsANewCertificateThatNamesIt() throws IOException {
        X509Certificate loopback = ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1").certificate();
        X509Certificate moved = ConsoleKeyStore.loadOrCreate(dataDir, "198.18.0.9").certificate();
        assertNotEquals(loopback, moved);
        assertTrue(ConsoleKeyStore.subjectAltNames(moved).contains("198.18.0.9"));
        // ... and it is the one kept from now on.
        assertEquals(moved, ConsoleKeyStore.loadOrCreate(dataDir, "198.18.0.9").certificate());
    }

    @Test
    void aDamagedKeystoreIsAClearErrorNotANewIdentity() throws IOException {
        ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1");
        Files.write(dataDir.resolve(ConsoleKeyStore.KEYSTORE_FILE), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1"));
        assertTrue(e.getMessage().contains(ConsoleKeyStore.KEYSTORE_FILE) && e.getMessage().contains("delete"),
                e.getMessage());
    }

    @Test
    void aMissingPasswordFileIsAClearError() throws IOException {
        ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1");
        Files.delete(dataDir.resolve(ConsoleKeyStore.PASSWORD_FILE));
        IOException e = assertThrows(IOException.class, () -> ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1"));
        assertTrue(e.getMessage().contains(ConsoleKeyStore.PASSWORD_FILE), e.getMessage());
    }

    @Test
    void aWrongPasswordIsAClearError() throws IOException {
        ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1");
        Files.writeString(dataDir.resolve(ConsoleKeyStore.PASSWORD_FILE), "not-it\n");
        IOException e = assertThrows(IOException.class, () -> ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1"));
        assertTrue(e.getMessage().contains("cannot be opened"), e.getMessage());
    }

    @Test
    void noTemporaryFilesAreLeftBehind() throws IOException {
        ConsoleKeyStore.loadOrCreate(dataDir, "127.0.0.1");
        try (var files = Files.list(dataDir)) {
            assertEquals(Set.of(ConsoleKeyStore.KEYSTORE_FILE, ConsoleKeyStore.PASSWORD_FILE),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }
}
