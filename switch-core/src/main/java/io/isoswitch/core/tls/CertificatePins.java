package io.isoswitch.core.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Set;

/**
 * Fingerprints of a peer's certificate as pins are written: SHA-256 over the
 * SubjectPublicKeyInfo (survives a renewal with the same key) or over the whole DER certificate.
 */
public final class CertificatePins {
    private CertificatePins() {
    }

    /** SHA-256 of the certificate's SubjectPublicKeyInfo, lower-case hex. */
    public static String publicKeyPin(X509Certificate certificate) {
        return sha256(certificate.getPublicKey().getEncoded());
    }

    /** SHA-256 of the DER certificate, lower-case hex. */
    public static String certificatePin(X509Certificate certificate) {
        try {
            return sha256(certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** Whether either fingerprint of {@code certificate} is one of {@code pins}. */
    static boolean matches(X509Certificate certificate, Set<String> pins) {
        return pins.contains(publicKeyPin(certificate)) || pins.contains(certificatePin(certificate));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
