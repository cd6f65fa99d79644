package io.isoswitch.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * TLS on one terminal listener or one issuer link. The key and certificate come either as PEM
 * files ({@code certificate} + {@code privateKey}, the key PKCS#8, encrypted with {@code password}
 * or not) or as one PKCS#12 {@code keyStore} opened with {@code password}. Protocols are TLS 1.3
 * and 1.2 only.
 *
 * @param certificate       PEM file with this side's certificate chain (leaf first)
 * @param privateKey        PEM file with its PKCS#8 private key
 * @param keyStore          PKCS#12 file holding key and chain (instead of the two above)
 * @param password          password of the PKCS#12 file or of an encrypted PEM key; never logged
 * @param clientAuth        listeners only: {@code none} (default), {@code optional} or {@code require}
 *                          a client certificate signed by {@code trustCertificates}
 * @param trustCertificates PEM file of the CA certificates the peer's certificate must chain to
 *                          (listeners: client certificates; issuer links: the issuer's server
 *                          certificate, host name checked); absent on an issuer link, the JDK's CAs,
 *                          or only the pins when pins are given
 * @param pins              issuer links only: SHA-256 fingerprints (64 hex digits, colons allowed)
 *                          of the issuer certificate's SubjectPublicKeyInfo or of the whole
 *                          certificate; when given, a peer matching none is refused
 */
public record TlsConfig(String certificate, String privateKey, String keyStore,
                        // read from the file, never written back out (the start-up log describes the config)
                        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String password, String clientAuth,
                        String trustCertificates, List<String> pins) {
    public static final String CLIENT_AUTH_NONE = "none";
    public static final List<String> CLIENT_AUTH_VALUES = List.of("none", "optional", "require");

    public TlsConfig {
        clientAuth = clientAuth == null ? CLIENT_AUTH_NONE : clientAuth.toLowerCase(Locale.ROOT);
        pins = pins == null ? List.of() : pins.stream().map(TlsConfig::normalizePin).toList();
        password = password == null ? "" : password;
        ConfigException.require(CLIENT_AUTH_VALUES.contains(clientAuth), "tls.clientAuth", clientAuth, "one of " + CLIENT_AUTH_VALUES);
        ConfigException.require(keyStore == null || (certificate == null && privateKey == null), "tls.keyStore", keyStore,
                "either keyStore or certificate + privateKey, not both");
        ConfigException.require((certificate == null) == (privateKey == null), "tls.certificate", certificate,
                "certificate and privateKey together");
    }

    /** Whether this side presents a certificate of its own. */
    public boolean hasKeyMaterial() {
        return keyStore != null || certificate != null;
    }

    /** Pins as lower-case hex without separators; a malformed one is a configuration error. */
    static String normalizePin(String pin) {
        String hex = pin == null ? "" : pin.replace(":", "").toLowerCase(Locale.ROOT);
        ConfigException.require(hex.length() == 64 && hex.chars().allMatch(HexFormat::isHexDigit),
                "tls.pins[]", pin, "a SHA-256 fingerprint: 64 hex digits");
        return hex;
    }

    @Override
    public String toString() {
        return "TlsConfig[certificate=" + certificate + ", privateKey=" + privateKey + ", keyStore=" + keyStore
                + ", password=" + Secrets.mask(password) + ", clientAuth=" + clientAuth
                + ", trustCertificates=" + trustCertificates + ", pins=" + pins + "]";
    }
}
