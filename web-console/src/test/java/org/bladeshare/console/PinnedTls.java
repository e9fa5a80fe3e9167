package org.bladeshare.console;

import java.net.http.HttpClient;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Test clients that trust exactly one self-signed certificate, as an administrator who pinned it would. */
final class PinnedTls {

    private PinnedTls() {
    }

    static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("console", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    static HttpClient httpClient(X509Certificate certificate) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(trusting(certificate))
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static String sha256(Certificate certificate) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }
}
