package io.isoswitch.core.config;

import java.util.Locale;

/**
 * One terminal port. Terminals of one dialect dial in here; the limits protect the switch from a
 * misbehaving terminal or a connection flood.
 *
 * @param name                       a label for logs and metrics tags
 * @param host                       the address to bind
 * @param port                       the TCP port
 * @param dialect                    the message spec ({@code iso87binary}, {@code iso87ascii}, {@code cup-pos})
 * @param framing                    the length header ({@code binary2}, {@code ascii4}, {@code bcd2})
 * @param maxConnections             connections accepted at once; more are closed at accept
 * @param idleTimeoutMs              a connection silent this long is closed
 * @param maxInFlightPerConnection   requests in flight on one connection before the switch stops reading from it
 * @param maxFrameBytes              the largest frame accepted; a larger length closes the connection
 * @param tls                        TLS on this port, or null for plain TCP
 * @param frameTimeoutMs             how long a frame begun may take to arrive whole before its connection
 *                                   is closed ({@link #DEFAULT_FRAME_TIMEOUT_MS}); other connections are untouched
 * @param maxConnectionsPerAddress   connections accepted at once from one remote IP address
 *                                   ({@link #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}); more from it are closed at accept
 * @param mac                        the MAC its terminals use: {@value #MAC_X9_19} (ANSI X9.19 retail MAC; the only
 *                                   one for ISO 8583:1987 ports), or {@value #MAC_CUP_ECB} (UnionPay's "ECB" MAC,
 *                                   cup-pos.md 9.3, the default on a {@code cup-pos} port). The ECB MAC depends only on
 *                                   the XOR of the message's 8-byte blocks, so anyone on the line who saw one MACed
 *                                   request can forge others (docs/security.md): a {@code cup-pos} port whose terminals'
 *                                   PIN pads offer X9.19 should say {@value #MAC_X9_19}, and one that keeps the ECB MAC
 *                                   needs TLS or a private network
 */
public record ListenerConfig(
        String name,
        String host,
        int port,
        String dialect,
        String framing,
        int maxConnections,
        long idleTimeoutMs,
        int maxInFlightPerConnection,
        int maxFrameBytes,
        TlsConfig tls,
        long frameTimeoutMs,
        int maxConnectionsPerAddress,
        String mac) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_MAX_CONNECTIONS = 20_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 300_000;
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 64;
    public static final int DEFAULT_MAX_FRAME_BYTES = 8_192;
    /**
     * Five seconds: a terminal writes a frame of a few hundred bytes in one go, so a frame still
     * partial after that is a broken terminal or a slow-read attack holding a connection slot.
     */
    public static final long DEFAULT_FRAME_TIMEOUT_MS = 5_000;
    /**
     * 500: a shop or a terminal gateway behind one NAT address rarely holds more, and one host can
     * then take at most 1/40 of the default listener's slots. Behind a load balancer that hides the
     * terminals' addresses (every connection comes from the balancer), raise it to maxConnections.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 500;
    public static final String MAC_X9_19 = "x9.19";
    public static final String MAC_CUP_ECB = "cup-ecb";

    /** A plain-TCP listener. */
    public ListenerConfig(String name, String host, int port, String dialect, String framing, int maxConnections,
                          long idleTimeoutMs, int maxInFlightPerConnection, int maxFrameBytes) {
        this(name, host, port, dialect, framing, maxConnections, idleTimeoutMs, maxInFlightPerConnection, maxFrameBytes, null);
    }

    /** A listener with the default frame timeout. */
    public ListenerConfig(String name, String host, int port, String dialect, String framing, int maxConnections,
                          long idleTimeoutMs, int maxInFlightPerConnection, int maxFrameBytes, TlsConfig tls) {
        this(name, host, port, dialect, framing, maxConnections, idleTimeoutMs, maxInFlightPerConnection, maxFrameBytes, tls, 0, 0);
    }

    /** A listener whose terminals use its dialect's default MAC. */
    public ListenerConfig(String name, String host, int port, String dialect, String framing, int maxConnections,
                          long idleTimeoutMs, int maxInFlightPerConnection, int maxFrameBytes, TlsConfig tls, long frameTimeoutMs,
                          int maxConnectionsPerAddress) {
        this(name, host, port, dialect, framing, maxConnections, idleTimeoutMs, maxInFlightPerConnection, maxFrameBytes, tls,
                frameTimeoutMs, maxConnectionsPerAddress, null);
    }

    public ListenerConfig withTls(TlsConfig value) {
        return new ListenerConfig(name, host, port, dialect, framing, maxConnections, idleTimeoutMs, maxInFlightPerConnection,
                maxFrameBytes, value, frameTimeoutMs, maxConnectionsPerAddress, mac);
    }

    public ListenerConfig withFrameTimeoutMs(long value) {
        return new ListenerConfig(name, host, port, dialect, framing, maxConnections, idleTimeoutMs, maxInFlightPerConnection,
                maxFrameBytes, tls, value, maxConnectionsPerAddress, mac);
    }

    public ListenerConfig withMaxConnectionsPerAddress(int value) {
        return new ListenerConfig(name, host, port, dialect, framing, maxConnections, idleTimeoutMs, maxInFlightPerConnection,
                maxFrameBytes, tls, frameTimeoutMs, value, mac);
    }

    public ListenerConfig withMac(String value) {
        return new ListenerConfig(name, host, port, dialect, framing, maxConnections, idleTimeoutMs, maxInFlightPerConnection,
                maxFrameBytes, tls, frameTimeoutMs, maxConnectionsPerAddress, value);
    }

    /** Whether its terminals MAC with UnionPay's ECB MAC, which anyone on the line can forge. */
    public boolean forgeableMac() {
        return MAC_CUP_ECB.equals(mac);
    }

    public ListenerConfig {
        host = host == null ? DEFAULT_HOST : host;
        ConfigException.require(dialect != null && !dialect.isBlank(), "listeners[].dialect", dialect, "a dialect name");
        name = name == null ? dialect : name;
        framing = framing == null ? defaultFraming(dialect) : framing;
        // port 0 binds any free port (tests, or a node behind a load balancer that discovers it)
        ConfigException.require(port >= 0 && port < 65536, "listeners[" + name + "].port", port, "a TCP port from 0 to 65535");
        maxConnections = maxConnections == 0 ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        idleTimeoutMs = idleTimeoutMs == 0 ? DEFAULT_IDLE_TIMEOUT_MS : idleTimeoutMs;
        maxInFlightPerConnection = maxInFlightPerConnection == 0 ? DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION : maxInFlightPerConnection;
        maxFrameBytes = maxFrameBytes == 0 ? DEFAULT_MAX_FRAME_BYTES : maxFrameBytes;
        frameTimeoutMs = frameTimeoutMs == 0 ? DEFAULT_FRAME_TIMEOUT_MS : frameTimeoutMs;
        maxConnectionsPerAddress = maxConnectionsPerAddress == 0 ? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS : maxConnectionsPerAddress;
        ConfigException.require(maxConnectionsPerAddress > 0, "listeners[" + name + "].maxConnectionsPerAddress",
                maxConnectionsPerAddress, "a positive count");
        ConfigException.require(frameTimeoutMs > 0, "listeners[" + name + "].frameTimeoutMs", frameTimeoutMs, "a positive duration");
        ConfigException.require(maxConnections > 0, "listeners[" + name + "].maxConnections", maxConnections, "a positive count");
        ConfigException.require(idleTimeoutMs > 0, "listeners[" + name + "].idleTimeoutMs", idleTimeoutMs, "a positive duration");
        ConfigException.require(maxInFlightPerConnection > 0, "listeners[" + name + "].maxInFlightPerConnection",
                maxInFlightPerConnection, "a positive count");
        ConfigException.require(maxFrameBytes >= 64 && maxFrameBytes <= 65_535, "listeners[" + name + "].maxFrameBytes",
                maxFrameBytes, "64 to 65535 bytes");
        ConfigException.require(tls == null || tls.hasKeyMaterial(), "listeners[" + name + "].tls", tls,
                "certificate + privateKey or keyStore");
        boolean cupPos = "cup-pos".equals(dialect);
        mac = mac == null ? (cupPos ? MAC_CUP_ECB : MAC_X9_19) : mac.trim().toLowerCase(Locale.ROOT);
        ConfigException.require(MAC_X9_19.equals(mac) || cupPos && MAC_CUP_ECB.equals(mac), "listeners[" + name + "].mac", mac,
                cupPos ? MAC_X9_19 + " or " + MAC_CUP_ECB : MAC_X9_19 + " (" + MAC_CUP_ECB + " is for cup-pos ports only)");
        ConfigException.require(tls == null || tls.pins().isEmpty(), "listeners[" + name + "].tls.pins", tls == null ? null : tls.pins(),
                "no pins (pins are for issuer links; listeners check clients with clientAuth + trustCertificates)");
    }

    /** The framing each built-in dialect's terminals use (ARCHITECTURE.md, Dialects). */
    static String defaultFraming(String dialect) {
        return switch (dialect) {
            case "iso87ascii" -> "ascii4";
            default -> "binary2";
        };
    }

    /** The three terminal ports of ARCHITECTURE.md. */
    static java.util.List<ListenerConfig> defaults() {
        return java.util.List.of(
                new ListenerConfig("iso87binary", null, 8583, "iso87binary", "binary2", 0, 0, 0, 0),
                new ListenerConfig("iso87ascii", null, 8584, "iso87ascii", "ascii4", 0, 0, 0, 0),
                new ListenerConfig("cup-pos", null, 8585, "cup-pos", "binary2", 0, 0, 0, 0));
    }
}
