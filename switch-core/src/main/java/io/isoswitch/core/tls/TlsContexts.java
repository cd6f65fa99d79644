package io.isoswitch.core.tls;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.config.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds Netty {@link SslContext}s from {@link TlsConfig}: the JDK provider (no native library to
 * ship), TLS 1.3 and 1.2 only. Every file problem becomes a {@link ConfigException} naming the key,
 * so a node with a bad certificate path refuses to start instead of serving in the clear.
 */
public final class TlsContexts {
    /** TLS 1.0 and 1.1 are deprecated (RFC 8996); PCI DSS asks for 1.2 or later. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsContexts() {
    }

    /**
     * A server context for a terminal listener.
     *
     * @param where the configuration key, for errors ({@code listeners[name].tls})
     */
    public static SslContext server(TlsConfig tls, String where) {
        if (!tls.hasKeyMaterial()) {
            throw new ConfigException(where + ": a TLS listener needs certificate + privateKey or keyStore");
        }
        try {
            SslContextBuilder builder = tls.keyStore() != null
                    ? SslContextBuilder.forServer(keyManagers(tls, where))
                    : SslContextBuilder.forServer(new File(tls.certificate()), new File(tls.privateKey()), passwordOrNull(tls));
            ClientAuth clientAuth = switch (tls.clientAuth()) {
                case "optional" -> ClientAuth.OPTIONAL;
                case "require" -> ClientAuth.REQUIRE;
                default -> ClientAuth.NONE;
            };
            if (clientAuth != ClientAuth.NONE) {
                if (tls.trustCertificates() == null) {
                    throw new ConfigException(where + ".clientAuth = " + tls.clientAuth()
                            + ": expected trustCertificates naming the CAs client certificates must chain to");
                }
                builder.trustManager(caTrust(tls.trustCertificates(), where));
            }
            return builder.sslProvider(SslProvider.JDK).protocols(PROTOCOLS).clientAuth(clientAuth).build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(where + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * A client context for an issuer link: presents this switch's certificate when one is
     * configured (mutual TLS), trusts the issuer by its CAs, its pins, or both.
     *
     * @param where the configuration key, for errors ({@code issuers[id].tls})
     */
    public static SslContext client(TlsConfig tls, String where) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOLS);
            if (tls.keyStore() != null) {
                builder.keyManager(keyManagers(tls, where));
            } else if (tls.certificate() != null) {
                builder.keyManager(new File(tls.certificate()), new File(tls.privateKey()), passwordOrNull(tls));
            }
            X509ExtendedTrustManager ca = tls.trustCertificates() != null ? caTrust(tls.trustCertificates(), where) : null;
            boolean pinsOnly = ca == null && !tls.pins().isEmpty();
            if (!tls.pins().isEmpty()) {
                builder.trustManager(new PinningTrustManager(ca, new HashSet<>(tls.pins())));
            } else if (ca != null) {
                builder.trustManager(ca);
            }
            // the host name is checked against the certificate whenever a CA vouches for it; a pin
            // alone names the exact key, which is a stronger identity than any name
            builder.endpointIdentificationAlgorithm(pinsOnly ? null : "HTTPS");
            return builder.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(where + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static String passwordOrNull(TlsConfig tls) {
        return tls.password().isEmpty() ? null : tls.password();
    }

    private static KeyManagerFactory keyManagers(TlsConfig tls, String where) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = tls.password().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(tls.keyStore()))) {
            store.load(in, password);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        if (factory.getKeyManagers().length == 0) {
            throw new ConfigException(where + ".keyStore = " + tls.keyStore() + ": expected a private key entry, found none");
        }
        return factory;
    }

    /** The JDK's PKIX trust manager over the CA certificates of a PEM file. */
    private static X509ExtendedTrustManager caTrust(String pemFile, String where) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(Path.of(pemFile))) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new ConfigException(where + ".trustCertificates = " + pemFile + ": expected PEM certificates, found none");
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            anchors.setCertificateEntry("ca-" + i++, (X509Certificate) certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JDK offers no X509 trust manager");
    }
}
