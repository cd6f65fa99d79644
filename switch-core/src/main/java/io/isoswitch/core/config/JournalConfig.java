package io.isoswitch.core.config;

/**
 * Where the journal lives. The default is an embedded H2 file database in PostgreSQL mode, so the
 * switch runs alone; production points {@code url} at PostgreSQL.
 *
 * @param url      JDBC URL
 * @param user     database user
 * @param password database password (masked in logs)
 * @param poolSize connections in the pool
 */
public record JournalConfig(String url, String user, String password, int poolSize) {
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/journal;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    public static final String DEFAULT_USER = "sa";
    public static final int DEFAULT_POOL_SIZE = 8;

    public JournalConfig {
        url = url == null ? DEFAULT_URL : url;
        user = user == null ? DEFAULT_USER : user;
        password = password == null ? "" : password;
        poolSize = poolSize == 0 ? DEFAULT_POOL_SIZE : poolSize;
        ConfigException.require(url.startsWith("jdbc:"), "journal.url", url, "a JDBC URL");
        ConfigException.require(poolSize > 0 && poolSize <= 200, "journal.poolSize", poolSize, "1 to 200");
    }

    static JournalConfig defaults() {
        return new JournalConfig(null, null, null, 0);
    }

    @Override
    public String toString() {
        return "JournalConfig[url=" + Secrets.maskUrl(url) + ", user=" + user + ", password=" + Secrets.mask(password) + ", poolSize=" + poolSize + "]";
    }
}
