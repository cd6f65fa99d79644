package io.isoswitch.core.config;

/**
 * The operations HTTP port: metrics, health, readiness, the dashboard, and token-protected
 * commands.
 *
 * @param host  the address to bind
 * @param port  the TCP port ({@value #DEFAULT_PORT} when absent; 0 binds any free port)
 * @param token the bearer token operations commands must present; blank disables the commands
 */
public record OpsConfig(String host, Integer port, String token) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;

    public OpsConfig {
        host = host == null ? DEFAULT_HOST : host;
        port = port == null ? DEFAULT_PORT : port;
        token = token == null ? "" : token;
        ConfigException.require(port >= 0 && port < 65536, "ops.port", port, "a TCP port from 0 to 65535");
    }

    static OpsConfig defaults() {
        return new OpsConfig(null, null, null);
    }

    @Override
    public String toString() {
        return "OpsConfig[host=" + host + ", port=" + port + ", token=" + Secrets.mask(token) + "]";
    }
}
