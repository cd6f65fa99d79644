package io.isoswitch.core.issuer;

import io.isoswitch.codec.framing.LengthHeader;
import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.config.TlsConfig;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One issuer host the switch sends requests to, as configured under {@code issuers:}. A zero or
 * null value takes the default named beside it; every value is checked here, and a bad one throws
 * {@link ConfigException} naming the key ({@code issuers[id].key}).
 *
 * @param issuerId               the issuer's name in routes, metrics and logs (letters, digits, {@code -_}; at most 32)
 * @param host                   the issuer host's address
 * @param port                   its TCP port
 * @param connections            persistent connections kept open ({@link #DEFAULT_CONNECTIONS})
 * @param dialect                {@code iso87binary} (default) or {@code iso87ascii}
 * @param framing                length header kind: {@code binary2} (default), {@code ascii4}, {@code bcd2}
 * @param requestTimeoutMs       how long a request waits for its answer ({@link #DEFAULT_REQUEST_TIMEOUT_MS})
 * @param echoIntervalMs         silence on a connection after which an echo test is sent ({@link #DEFAULT_ECHO_INTERVAL_MS})
 * @param connectTimeoutMs       TCP connect timeout ({@link #DEFAULT_CONNECT_TIMEOUT_MS})
 * @param reconnectBackoffMinMs  first reconnect delay ({@link #DEFAULT_RECONNECT_BACKOFF_MIN_MS})
 * @param reconnectBackoffMaxMs  the delay doubles up to this ({@link #DEFAULT_RECONNECT_BACKOFF_MAX_MS})
 * @param acquiringInstitutionId field 32 of every request: the switch's institution code, 1 to 11 digits
 * @param forwardingInstitutionId field 33, or null to leave it out
 * @param zmkKeyBlock            the zone master key shared with the issuer, as a key block under the
 *                               LMK; null means no key exchange (and no PIN translation to this issuer)
 * @param secondaryIssuerId      the issuer that takes this one's traffic while it is down, or null
 * @param tls                    TLS to the issuer host (mutual when a certificate is configured, pinned
 *                               when pins are), or null for plain TCP
 * @param staticKeys             zone keys agreed with the issuer out of band, for a host that sends
 *                               none at sign-on; null for none (exclusive with {@code zmkKeyBlock})
 * @param keyExchangeIntervalMs  how long a connection's zone working keys (exchanged at sign-on under
 *                               the ZMK) serve before the connection signs on again for new ones
 *                               ({@link #DEFAULT_KEY_EXCHANGE_INTERVAL_MS}); not used without a ZMK
 * @param safWindow              store-and-forward entries (queued reversals and advices) this node
 *                               keeps in flight to the issuer at once ({@link #DEFAULT_SAF_WINDOW}); 1
 *                               sends them one at a time, each after the previous one's answer
 */
public record IssuerConfig(String issuerId, String host, int port, int connections, String dialect, String framing,
                           long requestTimeoutMs, long echoIntervalMs, long connectTimeoutMs,
                           long reconnectBackoffMinMs, long reconnectBackoffMaxMs,
                           String acquiringInstitutionId, String forwardingInstitutionId,
                           String zmkKeyBlock, String secondaryIssuerId, TlsConfig tls, StaticZoneKeys staticKeys,
                           long keyExchangeIntervalMs, int safWindow) {
    /** Two connections: one can drop and reconnect while the other carries the traffic. */
    public static final int DEFAULT_CONNECTIONS = 2;
    public static final String DEFAULT_DIALECT = "iso87binary";
    public static final String DEFAULT_FRAMING = "binary2";
    /**
     * Ten seconds: POS terminals give up after 30 to 60 s and then reverse on their own, so the
     * switch must answer 91 well before that; issuers answer in well under a second, so ten
     * seconds of silence means the answer is not coming. A timed-out request is reversed.
     */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    /** Thirty seconds of silence before an echo test, as issue 5 asks. */
    public static final long DEFAULT_ECHO_INTERVAL_MS = 30_000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_RECONNECT_BACKOFF_MIN_MS = 500;
    /**
     * Five seconds: an issuer back from an outage is reached again within five seconds (plus a
     * sign-on), not thirty; a connect attempt every few seconds to a host that is down costs nothing.
     */
    public static final long DEFAULT_RECONNECT_BACKOFF_MAX_MS = 5_000;
    /**
     * A day: zone working keys are session keys, and a link that stays up for weeks must not keep
     * one ZPK and ZAK all that time (every reconnect brings new ones, but a healthy link never
     * reconnects). The ZMK they travel under is the long-lived key.
     */
    public static final long DEFAULT_KEY_EXCHANGE_INTERVAL_MS = 86_400_000;
    /**
     * Sixteen: after an outage an issuer's queue holds every reversal and advice of it (hundreds of
     * thousands after minutes at a few hundred requests a second), and one entry at a time drains
     * it at one round trip and two commits per entry, hours for such a queue. Sixteen answers
     * awaited at once take that to minutes while staying a small share of what a link carries
     * (live requests go on beside it), for an issuer that has just come back.
     */
    public static final int DEFAULT_SAF_WINDOW = 16;
    /** The most: what one claim of the queue takes ({@code StoreAndForwardQueue.MAX_CLAIM}). */
    public static final int MAX_SAF_WINDOW = 256;
    /**
     * ISO 8583:1987 only. A 1993 link would sign on (NetworkManagement knows 1804/1814) and then
     * send 1987 financial fields in 1993's layout, and read action code 000 as a decline of an
     * approval the issuer booked: refused until 1993's financial messages are built.
     */
    public static final List<String> DIALECTS = List.of("iso87binary", "iso87ascii");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern INSTITUTION = Pattern.compile("[0-9]{1,11}");

    /**
     * A ZPK (and optionally a ZAK) as key blocks under this switch's LMK, used on every connection
     * of an issuer whose host does not exchange keys at sign-on (keys set by key custodians).
     */
    public record StaticZoneKeys(String zpkKeyBlock, String zakKeyBlock) {
        @Override
        public String toString() {
            return "StaticZoneKeys[zpkKeyBlock=****, zakKeyBlock=" + (zakKeyBlock == null ? "none" : "****") + "]";
        }
    }

    /** An issuer link with the default store-and-forward window. */
    public IssuerConfig(String issuerId, String host, int port, int connections, String dialect, String framing,
                        long requestTimeoutMs, long echoIntervalMs, long connectTimeoutMs,
                        long reconnectBackoffMinMs, long reconnectBackoffMaxMs,
                        String acquiringInstitutionId, String forwardingInstitutionId,
                        String zmkKeyBlock, String secondaryIssuerId, TlsConfig tls, StaticZoneKeys staticKeys,
                        long keyExchangeIntervalMs) {
        this(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs, connectTimeoutMs,
                reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId, forwardingInstitutionId, zmkKeyBlock,
                secondaryIssuerId, tls, staticKeys, keyExchangeIntervalMs, 0);
    }

    /** An issuer link with no static keys. */
    public IssuerConfig(String issuerId, String host, int port, int connections, String dialect, String framing,
                        long requestTimeoutMs, long echoIntervalMs, long connectTimeoutMs,
                        long reconnectBackoffMinMs, long reconnectBackoffMaxMs,
                        String acquiringInstitutionId, String forwardingInstitutionId,
                        String zmkKeyBlock, String secondaryIssuerId, TlsConfig tls) {
        this(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs, connectTimeoutMs,
                reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId, forwardingInstitutionId, zmkKeyBlock,
                secondaryIssuerId, tls, null, 0);
    }

    /** A plain-TCP issuer link. */
    public IssuerConfig(String issuerId, String host, int port, int connections, String dialect, String framing,
                        long requestTimeoutMs, long echoIntervalMs, long connectTimeoutMs,
                        long reconnectBackoffMinMs, long reconnectBackoffMaxMs,
                        String acquiringInstitutionId, String forwardingInstitutionId,
                        String zmkKeyBlock, String secondaryIssuerId) {
        this(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs, connectTimeoutMs,
                reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId, forwardingInstitutionId, zmkKeyBlock,
                secondaryIssuerId, null);
    }

    /** Fills defaults and checks every value. */
    public IssuerConfig {
        require(issuerId != null && ID.matcher(issuerId).matches(), "issuers[].issuerId", issuerId,
                "1 to 32 letters, digits, '-' or '_'");
        String at = "issuers[" + issuerId + "].";
        connections = connections == 0 ? DEFAULT_CONNECTIONS : connections;
        dialect = dialect == null ? DEFAULT_DIALECT : dialect;
        framing = framing == null ? DEFAULT_FRAMING : framing;
        requestTimeoutMs = requestTimeoutMs == 0 ? DEFAULT_REQUEST_TIMEOUT_MS : requestTimeoutMs;
        echoIntervalMs = echoIntervalMs == 0 ? DEFAULT_ECHO_INTERVAL_MS : echoIntervalMs;
        connectTimeoutMs = connectTimeoutMs == 0 ? DEFAULT_CONNECT_TIMEOUT_MS : connectTimeoutMs;
        reconnectBackoffMinMs = reconnectBackoffMinMs == 0 ? DEFAULT_RECONNECT_BACKOFF_MIN_MS : reconnectBackoffMinMs;
        reconnectBackoffMaxMs = reconnectBackoffMaxMs == 0
                ? Math.max(DEFAULT_RECONNECT_BACKOFF_MAX_MS, reconnectBackoffMinMs) : reconnectBackoffMaxMs;
        keyExchangeIntervalMs = keyExchangeIntervalMs == 0 ? DEFAULT_KEY_EXCHANGE_INTERVAL_MS : keyExchangeIntervalMs;
        safWindow = safWindow == 0 ? DEFAULT_SAF_WINDOW : safWindow;
        require(host != null && !host.isBlank(), at + "host", host, "a host name or address");
        require(port > 0 && port < 65536, at + "port", port, "a TCP port from 1 to 65535");
        require(connections > 0 && connections <= 64, at + "connections", connections, "1 to 64");
        require(DIALECTS.contains(dialect), at + "dialect", dialect, "one of " + DIALECTS
                + (dialect.startsWith("iso93") ? " (ISO 8583:1993 financial messages are not built for issuer links)" : ""));
        require(isFraming(framing), at + "framing", framing, "binary2, ascii4 or bcd2");
        require(requestTimeoutMs >= 10 && requestTimeoutMs <= 120_000, at + "requestTimeoutMs", requestTimeoutMs,
                "10 to 120000 ms");
        require(echoIntervalMs >= 10 && echoIntervalMs <= 3_600_000, at + "echoIntervalMs", echoIntervalMs, "10 to 3600000 ms");
        require(connectTimeoutMs >= 10 && connectTimeoutMs <= 120_000, at + "connectTimeoutMs", connectTimeoutMs,
                "10 to 120000 ms");
        require(reconnectBackoffMinMs >= 1, at + "reconnectBackoffMinMs", reconnectBackoffMinMs, "at least 1 ms");
        require(reconnectBackoffMaxMs >= reconnectBackoffMinMs && reconnectBackoffMaxMs <= 3_600_000,
                at + "reconnectBackoffMaxMs", reconnectBackoffMaxMs, "reconnectBackoffMinMs to 3600000 ms");
        require(keyExchangeIntervalMs >= 1_000 && keyExchangeIntervalMs <= 604_800_000, at + "keyExchangeIntervalMs",
                keyExchangeIntervalMs, "1000 to 604800000 ms (a week)");
        require(safWindow >= 1 && safWindow <= MAX_SAF_WINDOW, at + "safWindow", safWindow, "1 to " + MAX_SAF_WINDOW);
        require(acquiringInstitutionId != null && INSTITUTION.matcher(acquiringInstitutionId).matches(),
                at + "acquiringInstitutionId", acquiringInstitutionId, "1 to 11 digits");
        require(forwardingInstitutionId == null || INSTITUTION.matcher(forwardingInstitutionId).matches(),
                at + "forwardingInstitutionId", forwardingInstitutionId, "1 to 11 digits, or absent");
        require(zmkKeyBlock == null || !zmkKeyBlock.isBlank(), at + "zmkKeyBlock", "(blank)", "a key block, or absent");
        if (staticKeys != null) {
            require(zmkKeyBlock == null, at + "staticKeys", "(set beside zmkKeyBlock)",
                    "either zmkKeyBlock (keys exchanged at sign-on) or staticKeys, not both");
            require(staticKeys.zpkKeyBlock() != null && !staticKeys.zpkKeyBlock().isBlank(), at + "staticKeys.zpkKeyBlock",
                    "(absent)", "a ZPK key block");
            require(staticKeys.zakKeyBlock() == null || !staticKeys.zakKeyBlock().isBlank(), at + "staticKeys.zakKeyBlock",
                    "(blank)", "a ZAK key block, or absent");
        }
        require(tls == null || tls.clientAuth().equals(TlsConfig.CLIENT_AUTH_NONE), at + "tls.clientAuth",
                tls == null ? null : tls.clientAuth(), "none (clientAuth is for listeners; an issuer link presents its own certificate)");
        require(secondaryIssuerId == null || (ID.matcher(secondaryIssuerId).matches() && !secondaryIssuerId.equals(issuerId)),
                at + "secondaryIssuerId", secondaryIssuerId, "another issuer's id, or absent");
    }

    /** The defaults for everything but the issuer's identity, address and the switch's institution code. */
    public static IssuerConfig of(String issuerId, String host, int port, String acquiringInstitutionId) {
        return new IssuerConfig(issuerId, host, port, 0, null, null, 0, 0, 0, 0, 0, acquiringInstitutionId, null, null, null);
    }

    /** Speaks {@code value} (iso87binary or iso87ascii) to the issuer, framed by {@code lengthHeader} (binary2, ascii4, bcd2). */
    public IssuerConfig withDialect(String value, String lengthHeader) {
        return new IssuerConfig(issuerId, host, port, connections, value, lengthHeader, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                forwardingInstitutionId, zmkKeyBlock, secondaryIssuerId, tls, staticKeys, keyExchangeIntervalMs, safWindow);
    }

    public IssuerConfig withConnections(int value) {
        return new IssuerConfig(issuerId, host, port, value, dialect, framing, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                forwardingInstitutionId, zmkKeyBlock, secondaryIssuerId, tls, staticKeys, keyExchangeIntervalMs, safWindow);
    }

    public IssuerConfig withTimeouts(long requestTimeout, long echoInterval) {
        return new IssuerConfig(issuerId, host, port, connections, dialect, framing, requestTimeout, echoInterval,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                forwardingInstitutionId, zmkKeyBlock, secondaryIssuerId, tls, staticKeys, keyExchangeIntervalMs, safWindow);
    }

    public IssuerConfig withBackoff(long minMs, long maxMs) {
        return new IssuerConfig(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, minMs, maxMs, acquiringInstitutionId, forwardingInstitutionId, zmkKeyBlock,
                secondaryIssuerId, tls, staticKeys, keyExchangeIntervalMs, safWindow);
    }

    public IssuerConfig withForwardingInstitution(String id) {
        return new IssuerConfig(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                id, zmkKeyBlock, secondaryIssuerId, tls, staticKeys, keyExchangeIntervalMs, safWindow);
    }

    public IssuerConfig withZmk(String keyBlock) {
        return new IssuerConfig(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                forwardingInstitutionId, keyBlock, secondaryIssuerId, tls, staticKeys, keyExchangeIntervalMs, safWindow);
    }

    public IssuerConfig withSecondary(String secondary) {
        return new IssuerConfig(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                forwardingInstitutionId, zmkKeyBlock, secondary, tls, staticKeys, keyExchangeIntervalMs, safWindow);
    }

    public IssuerConfig withStaticKeys(StaticZoneKeys value) {
        return new IssuerConfig(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                forwardingInstitutionId, zmkKeyBlock, secondaryIssuerId, tls, value, keyExchangeIntervalMs, safWindow);
    }

    public IssuerConfig withKeyExchangeInterval(long ms) {
        return new IssuerConfig(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                forwardingInstitutionId, zmkKeyBlock, secondaryIssuerId, tls, staticKeys, ms, safWindow);
    }

    public IssuerConfig withTls(TlsConfig value) {
        return new IssuerConfig(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                forwardingInstitutionId, zmkKeyBlock, secondaryIssuerId, value, staticKeys, keyExchangeIntervalMs, safWindow);
    }

    public IssuerConfig withSafWindow(int entries) {
        return new IssuerConfig(issuerId, host, port, connections, dialect, framing, requestTimeoutMs, echoIntervalMs,
                connectTimeoutMs, reconnectBackoffMinMs, reconnectBackoffMaxMs, acquiringInstitutionId,
                forwardingInstitutionId, zmkKeyBlock, secondaryIssuerId, tls, staticKeys, keyExchangeIntervalMs, entries);
    }

    private static boolean isFraming(String kind) {
        try {
            LengthHeader.named(kind);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new ConfigException(key + " = " + value + ": expected " + expected);
        }
    }

    /** The key block is a secret's wrapper: shown only by its presence. */
    @Override
    public String toString() {
        return "IssuerConfig[issuerId=" + issuerId + ", host=" + host + ", port=" + port + ", connections=" + connections
                + ", dialect=" + dialect + ", framing=" + framing + ", requestTimeoutMs=" + requestTimeoutMs
                + ", echoIntervalMs=" + echoIntervalMs + ", connectTimeoutMs=" + connectTimeoutMs
                + ", reconnectBackoffMinMs=" + reconnectBackoffMinMs + ", reconnectBackoffMaxMs=" + reconnectBackoffMaxMs
                + ", acquiringInstitutionId=" + acquiringInstitutionId + ", forwardingInstitutionId=" + forwardingInstitutionId
                + ", zmkKeyBlock=" + (zmkKeyBlock == null ? "none" : "****") + ", secondaryIssuerId=" + secondaryIssuerId + ", tls=" + tls
                + ", staticKeys=" + staticKeys + ", keyExchangeIntervalMs=" + keyExchangeIntervalMs + ", safWindow=" + safWindow + "]";
    }
}
