package io.isoswitch.core.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts an issuer's server certificate only when it passes the CA check (if there is one: the
 * delegate, which also checks the host name) and its key or certificate fingerprint is pinned.
 * Refusing here fails the handshake, so not one byte of ISO 8583 reaches a host that is not the
 * bank's.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final Set<String> pins;

    /**
     * @param delegate the CA check, or null when the pins alone decide
     * @param pins     lower-case hex SHA-256 fingerprints; not empty
     */
    PinningTrustManager(X509ExtendedTrustManager delegate, Set<String> pins) {
        if (pins.isEmpty()) {
            throw new IllegalArgumentException("pins: expected at least one");
        }
        this.delegate = delegate;
        this.pins = Set.copyOf(pins);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        if (delegate != null) {
            delegate.checkServerTrusted(chain, authType, engine);
        }
        requirePinned(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        if (delegate != null) {
            delegate.checkServerTrusted(chain, authType, socket);
        }
        requirePinned(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (delegate != null) {
            delegate.checkServerTrusted(chain, authType);
        }
        requirePinned(chain);
    }

    private void requirePinned(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the peer presented no certificate");
        }
        if (!CertificatePins.matches(chain[0], pins)) {
            // the fingerprint is public (anyone connecting sees the certificate) and tells ops what to pin
            throw new CertificateException("certificate pin mismatch: the peer's public key hashes to "
                    + CertificatePins.publicKeyPin(chain[0]) + ", which is not pinned");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a pinning trust manager checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a pinning trust manager checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a pinning trust manager checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
    }
}
