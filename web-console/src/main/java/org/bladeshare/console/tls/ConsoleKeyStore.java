package org.bladeshare.console.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's TLS identity, kept in the node's data directory so that a browser or script
 * that pinned the certificate keeps trusting it across restarts:
 * <ul>
 *   <li>{@value #KEYSTORE_FILE}: PKCS#12 with the private key and the self-signed certificate;</li>
 *   <li>{@value #PASSWORD_FILE}: the keystore's random password, one line.</li>
 * </ul>
 * Both files are readable by their owner only. A kept certificate is replaced only when it
 * is about to expire or no longer names the address the console is bound to.
 */
public final class ConsoleKeyStore {

    public static final String KEYSTORE_FILE = "console-tls.p12";
    public static final String PASSWORD_FILE = "console-tls.p12.pass";
    static final String ALIAS = "console";
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleKeyStore.class);

    private final KeyStore keyStore;
    private final char[] password;

    private ConsoleKeyStore(KeyStore keyStore, char[] password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /** Loads the kept identity from {@code dataDir}, or makes and keeps a new one. */
    public static ConsoleKeyStore loadOrCreate(Path dataDir, String bindAddress) throws IOException {
        Files.createDirectories(dataDir);
        Path keystoreFile = dataDir.resolve(KEYSTORE_FILE);
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        Set<String> wantedNames = SelfSignedCertificate.subjectAltNamesFor(bindAddress);

        if (Files.exists(keystoreFile)) {
            ConsoleKeyStore kept = load(keystoreFile, passwordFile);
            String stale = whyStale(kept.certificate(), wantedNames);
            if (stale == null) {
                return kept;
            }
            LOG.info("Replacing the console certificate in {}: {}", keystoreFile, stale);
        }
        return create(keystoreFile, passwordFile, wantedNames);
    }

    public X509Certificate certificate() {
        try {
            return (X509Certificate) keyStore.getCertificate(ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context serving this identity; TLS 1.2 and 1.3 only are enabled by the listener. */
    public SSLContext sslContext() throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot set up TLS for the console: " + e.getMessage(), e);
        }
    }

    private static ConsoleKeyStore load(Path keystoreFile, Path passwordFile) throws IOException {
        if (!Files.isReadable(passwordFile)) {
            throw new IOException("The console keystore " + keystoreFile + " has no readable password file "
                    + passwordFile + "; delete the keystore to have a new certificate made.");
        }
        char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        KeyStore ks;
        boolean hasKey;
        try {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(Files.readAllBytes(keystoreFile)), password);
            hasKey = ks.getKey(ALIAS, password) instanceof PrivateKey
                    && ks.getCertificate(ALIAS) instanceof X509Certificate;
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("The console keystore " + keystoreFile + " cannot be opened (" + e.getMessage()
                    + "); delete it and " + passwordFile + " to have a new certificate made.", e);
        }
        if (!hasKey) {
            throw new IOException("The console keystore " + keystoreFile + " holds no key named '" + ALIAS
                    + "'; delete it and " + passwordFile + " to have a new certificate made.");
        }
        return new ConsoleKeyStore(ks, password);
    }

    /** Why a kept certificate must be replaced, or null when it is still good. */
    static String whyStale(X509Certificate certificate, Set<String> wantedNames) {
        if (certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE_EXPIRY))) {
            return "it expires on " + certificate.getNotAfter().toInstant();
        }
        Set<String> present = subjectAltNames(certificate);
        Set<String> missing = new HashSet<>(wantedNames);
        missing.removeAll(present);
        return missing.isEmpty() ? null : "it does not name " + missing;
    }

    static Set<String> subjectAltNames(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            var sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> entry : sans) {
                    names.add(String.valueOf(entry.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable SAN extension: treat as naming nothing, so it is replaced.
        }
        return names;
    }

    private static ConsoleKeyStore create(Path keystoreFile, Path passwordFile, Set<String> names) throws IOException {
        SelfSignedCertificate generated = SelfSignedCertificate.generate(names);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, generated.keyPair().getPrivate(), password,
                    new Certificate[] {generated.certificate()});
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ks.store(bytes, password);
            // The password first: a keystore without its password file would be unusable.
            writeOwnerOnly(passwordFile, (new String(password) + "\n").getBytes(StandardCharsets.UTF_8));
            writeOwnerOnly(keystoreFile, bytes.toByteArray());
            LOG.info("Made a self-signed console certificate for {} in {}", names, keystoreFile);
            return new ConsoleKeyStore(ks, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot store the console certificate in " + keystoreFile + ": " + e.getMessage(), e);
        }
    }

    /** Writes beside the target, owner-only from the first byte, then renames into place. */
    private static void writeOwnerOnly(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp;
        try {
            temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        }
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
