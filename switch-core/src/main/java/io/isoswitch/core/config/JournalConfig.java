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
 * @param writerThreads       group-commit writer threads, each with its own connection (a record's
 *                            writes all go to one, in arrival order); at most half the pool
 * @param networkTimeoutMs    how long a journal statement waits for PostgreSQL's answer before its
 *                            connection is given up (the write fails, 96); 0 waits for ever; null
 *                            (absent) is {@link DatabaseConfig#DEFAULT_NETWORK_TIMEOUT_MS}
 * @param owedReversalsDir    a local directory for the reversals a node owes while it cannot write
 *                            the journal (approvals whose terminal heard 96), one file per node id,
 *                            so that a node killed before the database is back pays them at its
 *                            next start; null is {@link #DEFAULT_OWED_REVERSALS_DIR}
 */
public record JournalConfig(String url, String user, String password, int poolSize, long connectionTimeoutMs, String schema,
                            int writerThreads, Long networkTimeoutMs, String owedReversalsDir) {
    /**
     * One writer. Four were tried on the bench machine (2 cores shared with PostgreSQL and other
     * load): at a fixed 2,500 transactions a second neither count was better in alternating runs,
     * since PostgreSQL's own CPU was the limit (bench/RESULTS.md). More help where the database has
     * cores and flush time to spare.
     */
    public static final int DEFAULT_WRITER_THREADS = 1;
    /** Beside the default LMK file and embedded journal. */
    public static final String DEFAULT_OWED_REVERSALS_DIR = "data";

    public JournalConfig {
        url = url == null ? DatabaseConfig.DEFAULT_JDBC_URL : url;
        user = user == null ? DatabaseConfig.DEFAULT_USER : user;
        password = password == null ? "" : password;
        poolSize = poolSize == 0 ? DatabaseConfig.DEFAULT_POOL_SIZE : poolSize;
        connectionTimeoutMs = connectionTimeoutMs == 0 ? DatabaseConfig.DEFAULT_CONNECTION_TIMEOUT_MS : connectionTimeoutMs;
        networkTimeoutMs = networkTimeoutMs == null ? DatabaseConfig.DEFAULT_NETWORK_TIMEOUT_MS : networkTimeoutMs;
        owedReversalsDir = owedReversalsDir == null ? DEFAULT_OWED_REVERSALS_DIR : owedReversalsDir;
        writerThreads = writerThreads == 0 ? Math.min(DEFAULT_WRITER_THREADS, Math.max(1, poolSize / 2)) : writerThreads;
        ConfigException.require(url.startsWith("jdbc:"), "journal.url", Secrets.maskUrl(url), "a JDBC URL");
        ConfigException.require(writerThreads >= 1 && writerThreads <= Math.max(1, poolSize / 2), "journal.writerThreads",
                writerThreads, "1 to half of journal.poolSize (" + poolSize + ")");
    }

    /** A journal with the default number of writer threads. */
    public JournalConfig(String url, String user, String password, int poolSize, long connectionTimeoutMs, String schema) {
        this(url, user, password, poolSize, connectionTimeoutMs, schema, 0, null, null);
    }

    /** A journal with the default network timeout. */
    public JournalConfig(String url, String user, String password, int poolSize, long connectionTimeoutMs, String schema,
                         int writerThreads) {
        this(url, user, password, poolSize, connectionTimeoutMs, schema, writerThreads, null, null);
    }

    /** A journal whose owed reversals are kept in the default directory. */
    public JournalConfig(String url, String user, String password, int poolSize, long connectionTimeoutMs, String schema,
                         int writerThreads, Long networkTimeoutMs) {
        this(url, user, password, poolSize, connectionTimeoutMs, schema, writerThreads, networkTimeoutMs, null);
    }

    /** This configuration with its owed reversals kept in {@code dir}. */
    public JournalConfig withOwedReversalsDir(String dir) {
        return new JournalConfig(url, user, password, poolSize, connectionTimeoutMs, schema, writerThreads, networkTimeoutMs, dir);
    }

    /** The file where node {@code nodeId} keeps the reversals it owes. */
    public java.nio.file.Path owedReversalsFile(String nodeId) {
        return java.nio.file.Path.of(owedReversalsDir, "owed-reversals-" + nodeId + ".txt");
    }

    static JournalConfig defaults() {
        return new JournalConfig(null, null, null, 0, 0, null, 0, null, null);
    }

    /** The group commit's settings: the default queue and batch sizes, this configuration's writer threads. */
    public io.isoswitch.settlement.journal.JournalSettings journalSettings() {
        return new io.isoswitch.settlement.journal.JournalSettings(io.isoswitch.settlement.journal.JournalSettings.DEFAULT_QUEUE_CAPACITY,
                io.isoswitch.settlement.journal.JournalSettings.DEFAULT_MAX_BATCH_SIZE, writerThreads);
    }

    /** The settlement module's validated form. */
    public DatabaseConfig toDatabaseConfig() {
        try {
            return new DatabaseConfig(url, user, password, poolSize, connectionTimeoutMs, schema, networkTimeoutMs);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** The same configuration with the password (and any password in the URL) masked. */
    JournalConfig masked() {
        return new JournalConfig(Secrets.maskUrl(url), user, password.isEmpty() ? "" : "******", poolSize, connectionTimeoutMs, schema,
                writerThreads, networkTimeoutMs, owedReversalsDir);
    }

    @Override
    public String toString() {
        return "JournalConfig[url=" + Secrets.maskUrl(url) + ", user=" + user + ", password=" + Secrets.mask(password)
                + ", poolSize=" + poolSize + ", writerThreads=" + writerThreads + ", networkTimeoutMs=" + networkTimeoutMs + "]";
    }
}
