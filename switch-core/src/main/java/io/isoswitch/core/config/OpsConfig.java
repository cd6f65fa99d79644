package io.isoswitch.core.config;

/**
 * The operations HTTP port: metrics, health, readiness, the dashboard, and token-protected
 * commands.
 *
 * @param host           the address to bind
 * @param port           the TCP port ({@value #DEFAULT_PORT} when absent; 0 binds any free port)
 * @param token          the bearer token operations commands must present; blank disables the commands
 * @param drainTimeoutMs how long a drain ({@code POST /ops/drain} or SIGTERM) waits for requests in
 *                       flight to be answered before it closes the terminal connections anyway
 *                       ({@value #DEFAULT_DRAIN_TIMEOUT_MS})
 */
public record OpsConfig(String host, Integer port, String token, Long drainTimeoutMs) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    /**
     * Fifteen seconds: longer than an issuer's default request timeout (10 s), so that every
     * request in flight normally gets its own answer; shorter than the grace period an
     * orchestrator gives before SIGKILL (the compose file sets 30 s).
     */
    public static final long DEFAULT_DRAIN_TIMEOUT_MS = 15_000;

    public OpsConfig {
        host = host == null ? DEFAULT_HOST : host;
        port = port == null ? DEFAULT_PORT : port;
        token = token == null ? "" : token;
        drainTimeoutMs = drainTimeoutMs == null ? DEFAULT_DRAIN_TIMEOUT_MS : drainTimeoutMs;
        ConfigException.require(port >= 0 && port < 65536, "ops.port", port, "a TCP port from 0 to 65535");
        ConfigException.require(drainTimeoutMs >= 0 && drainTimeoutMs <= 600_000, "ops.drainTimeoutMs", drainTimeoutMs, "0 to 600000 ms");
    }

    /** The ops port with the default drain timeout. */
    public OpsConfig(String host, Integer port, String token) {
        this(host, port, token, null);
    }

    static OpsConfig defaults() {
        return new OpsConfig(null, null, null, null);
    }

    @Override
    public String toString() {
        return "OpsConfig[host=" + host + ", port=" + port + ", token=" + Secrets.mask(token) + ", drainTimeoutMs=" + drainTimeoutMs + "]";
    }
}
