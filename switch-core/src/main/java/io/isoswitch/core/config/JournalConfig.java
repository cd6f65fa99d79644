package io.isoswitch.core.config;

import io.isoswitch.settlement.db.DatabaseConfig;

/**
 * Where the journal lives, as the YAML file says it: every key optional, defaults from
 * {@link DatabaseConfig} (an embedded H2 file database in PostgreSQL mode, so the switch runs
 * alone; production points {@code url} at PostgreSQL).
 *
 * @param url                 JDBC URL
 * @param user                database user
 * @param password            database password (masked in logs)
 * @param poolSize            connections in the pool
 * @param connectionTimeoutMs how long a write waits for a connection before it fails (then 96)
 * @param schema              the schema to use, or null for the default
 */
public record JournalConfig(String url, String user, String password, int poolSize, long connectionTimeoutMs, String schema) {
    public JournalConfig {
        url = url == null ? DatabaseConfig.DEFAULT_JDBC_URL : url;
        user = user == null ? DatabaseConfig.DEFAULT_USER : user;
        password = password == null ? "" : password;
        poolSize = poolSize == 0 ? DatabaseConfig.DEFAULT_POOL_SIZE : poolSize;
        connectionTimeoutMs = connectionTimeoutMs == 0 ? DatabaseConfig.DEFAULT_CONNECTION_TIMEOUT_MS : connectionTimeoutMs;
        ConfigException.require(url.startsWith("jdbc:"), "journal.url", Secrets.maskUrl(url), "a JDBC URL");
    }

    static JournalConfig defaults() {
        return new JournalConfig(null, null, null, 0, 0, null);
    }

    /** The settlement module's validated form. */
    public DatabaseConfig toDatabaseConfig() {
        try {
            return new DatabaseConfig(url, user, password, poolSize, connectionTimeoutMs, schema);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** The same configuration with the password (and any password in the URL) masked. */
    JournalConfig masked() {
        return new JournalConfig(Secrets.maskUrl(url), user, password.isEmpty() ? "" : "******", poolSize, connectionTimeoutMs, schema);
    }

    @Override
    public String toString() {
        return "JournalConfig[url=" + Secrets.maskUrl(url) + ", user=" + user + ", password=" + Secrets.mask(password)
                + ", poolSize=" + poolSize + "]";
    }
}
