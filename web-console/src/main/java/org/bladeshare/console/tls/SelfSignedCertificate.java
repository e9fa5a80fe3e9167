package org.bladeshare.console.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed server certificate on an EC P-256 key (RFC 5480), signed with ECDSA-SHA256,
 * whose subject alternative names (RFC 5280 4.2.1.6) are the names the console is reached by.
 * Signing uses the JDK's own providers; BouncyCastle only builds the X.509 structure.
 */
public record SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {

    /** Long enough that an appliance never surprises its owner; renewed when it runs out. */
    static final Duration VALIDITY = Duration.ofDays(10 * 365);

    /**
     * Names the certificate always carries, plus {@code bindAddress} when it is neither empty
     * nor a wildcard address.
     */
    public static Set<String> subjectAltNamesFor(String bindAddress) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        if (bindAddress != null && !bindAddress.isBlank() && !isWildcard(bindAddress)) {
            names.add(canonical(bindAddress.strip()));
        }
        return names;
    }

    /** IP literals in the form X.509 parsing gives back (IPv6 uncompressed), names as they are. */
    static String canonical(String name) {
        if (!looksLikeIpLiteral(name)) {
            return name;
        }
        try {
            return InetAddress.getByName(stripBrackets(name)).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return name;
        }
    }

    static boolean isWildcard(String address) {
        String a = address.strip();
        return a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]") || a.equals("::0");
    }

    public static SelfSignedCertificate generate(Set<String> subjectAltNames) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keyPair = generator.generateKeyPair();

            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=Bladeshare console,O=Bladeshare");
            // RFC 5280 4.1.2.2: a positive serial of at most 20 octets.
            BigInteger serial = new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial,
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(VALIDITY)),
                    subject, keyPair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, generalNames(subjectAltNames));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));

            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new SelfSignedCertificate(keyPair, certificate);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IOException("Cannot create the console's self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralNames generalNames(Set<String> names) {
        List<GeneralName> list = new ArrayList<>();
        for (String name : names) {
            list.add(looksLikeIpLiteral(name)
                    ? new GeneralName(GeneralName.iPAddress, canonical(name))
                    : new GeneralName(GeneralName.dNSName, name));
        }
        return new GeneralNames(list.toArray(GeneralName[]::new));
    }

    /** An IPv4 dotted quad or an IPv6 literal: never triggers a DNS look-up. */
    static boolean looksLikeIpLiteral(String name) {
        return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.contains(":");
    }

    private static String stripBrackets(String name) {
        return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    }
}
