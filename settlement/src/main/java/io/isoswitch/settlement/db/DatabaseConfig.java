package io.isoswitch.settlement.db;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the journal lives and how many connections it may hold. Validated when built; its
 * {@link #toString()} masks the password so it can be logged at start.
 *
 * @param jdbcUrl             {@code jdbc:h2:...} (embedded) or {@code jdbc:postgresql://...}
 * @param user                database user
 * @param password            database password, may be empty (never logged)
 * @param poolSize            maximum connections in the pool (writers + readers)
 * @param connectionTimeoutMs how long a writer waits for a connection before the write fails as
 *                            unavailable; short, because a terminal is waiting
 * @param schema              schema to create, migrate and use, or {@code null} for the default
 *                            ({@code public} on PostgreSQL)
 * @param networkTimeoutMs    how long a group commit, read, counter or store-and-forward statement
 *                            of the switch waits for the database's answer before its connection
 *                            is given up as dead (the write fails as unavailable); 0 waits for ever.
 *                            Without it a connection whose network path died silently (a stalled
 *                            link, a failed-over database host) blocks its thread for good
 */
public record DatabaseConfig(
        String jdbcUrl, String user, String password, int poolSize, long connectionTimeoutMs, String schema,
        long networkTimeoutMs) {

    /** The embedded default: an H2 file database under ./data/journal in PostgreSQL mode. */
    public static final String DEFAULT_JDBC_URL =
            "jdbc:h2:file:./data/journal;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    public static final String DEFAULT_USER = "sa";
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final long DEFAULT_CONNECTION_TIMEOUT_MS = 2_000;
    /** HikariCP refuses less than this. */
    public static final long MIN_CONNECTION_TIMEOUT_MS = 250;
    public static final int MAX_POOL_SIZE = 200;
    /**
     * Every statement the switch runs answers in milliseconds; a terminal waits some tens of seconds
     * in all, so a database silent this long will not answer in time for it anyway.
     */
    public static final long DEFAULT_NETWORK_TIMEOUT_MS = 10_000;

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public DatabaseConfig {
        Objects.requireNonNull(jdbcUrl, "journal.jdbcUrl");
        Objects.requireNonNull(user, "journal.user");
        password = password == null ? "" : password;
        DatabaseVendor.fromJdbcUrl(jdbcUrl);
        if (poolSize < 2 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException(
                    "journal.poolSize: expected 2.." + MAX_POOL_SIZE + " (a writer and a reader), found " + poolSize);
        }
        if (connectionTimeoutMs < MIN_CONNECTION_TIMEOUT_MS) {
            throw new IllegalArgumentException("journal.connectionTimeoutMs: expected >= "
                    + MIN_CONNECTION_TIMEOUT_MS + ", found " + connectionTimeoutMs);
        }
        if (schema != null && !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException(
                    "journal.schema: expected a lower-case SQL identifier, found '" + schema + "'");
        }
        if (networkTimeoutMs < 0 || networkTimeoutMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("journal.networkTimeoutMs: expected 0 (none) to " + Integer.MAX_VALUE
                    + ", found " + networkTimeoutMs);
        }
    }

    /** A configuration with the default network timeout. */
    public DatabaseConfig(String jdbcUrl, String user, String password, int poolSize, long connectionTimeoutMs, String schema) {
        this(jdbcUrl, user, password, poolSize, connectionTimeoutMs, schema, DEFAULT_NETWORK_TIMEOUT_MS);
    }

    /** The embedded default configuration. */
    public static DatabaseConfig defaults() {
        return new DatabaseConfig(DEFAULT_JDBC_URL, DEFAULT_USER, "", DEFAULT_POOL_SIZE,
                DEFAULT_CONNECTION_TIMEOUT_MS, null);
    }

    /** A configuration for {@code jdbcUrl} with every other setting at its default. */
    public static DatabaseConfig of(String jdbcUrl, String user, String password) {
        return new DatabaseConfig(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT_MS, null);
    }

    /** This configuration using {@code newSchema}. */
    public DatabaseConfig withSchema(String newSchema) {
        return new DatabaseConfig(jdbcUrl, user, password, poolSize, connectionTimeoutMs, newSchema, networkTimeoutMs);
    }

    /** This configuration with {@code newPoolSize} connections. */
    public DatabaseConfig withPoolSize(int newPoolSize) {
        return new DatabaseConfig(jdbcUrl, user, password, newPoolSize, connectionTimeoutMs, schema, networkTimeoutMs);
    }

    /** This configuration with statements waiting {@code newNetworkTimeoutMs} for the database (0: for ever). */
    public DatabaseConfig withNetworkTimeoutMs(long newNetworkTimeoutMs) {
        return new DatabaseConfig(jdbcUrl, user, password, poolSize, connectionTimeoutMs, schema, newNetworkTimeoutMs);
    }

    public DatabaseVendor vendor() {
        return DatabaseVendor.fromJdbcUrl(jdbcUrl);
    }

    /**
     * The URL the journal connects with. An embedded H2 file database gets {@code WRITE_DELAY=0}
     * unless the URL sets it: H2 otherwise writes committed changes to its file up to 500 ms
     * later, so a process killed (kill -9) within that time loses transactions it had reported
     * committed, and the switch answers terminals only after their commit. It also gets
     * {@code DB_CLOSE_ON_EXIT=FALSE} unless the URL sets it: H2 otherwise closes the database from
     * its own shutdown hook the moment SIGTERM or Ctrl-C arrives, while the node's drain is still
     * recording the outcomes of the requests in flight (they were answered 96, their approvals left
     * for reversal at the next start); the node closes the journal itself at the end of the drain.
     */
    public String connectionUrl() {
        boolean h2File = jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:")
                && !jdbcUrl.startsWith("jdbc:h2:tcp:") && !jdbcUrl.startsWith("jdbc:h2:ssl:");
        if (!h2File) {
            return jdbcUrl;
        }
        String upper = jdbcUrl.toUpperCase(java.util.Locale.ROOT);
        String url = upper.contains(";WRITE_DELAY=") ? jdbcUrl : jdbcUrl + ";WRITE_DELAY=0";
        return upper.contains(";DB_CLOSE_ON_EXIT=") ? url : url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    public String toString() {
        return "DatabaseConfig[jdbcUrl=" + maskUrlPassword(jdbcUrl) + ", user=" + user
                + ", password=" + (password.isEmpty() ? "(none)" : "****") + ", poolSize=" + poolSize
                + ", connectionTimeoutMs=" + connectionTimeoutMs + ", networkTimeoutMs=" + networkTimeoutMs + ", schema=" + (schema == null ? "(default)" : schema)
                + "]";
    }

    /** A password may also ride in the URL (password=..., PASSWORD=...): mask it there too. */
    static String maskUrlPassword(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
    }
}
