package io.isoswitch.settlement.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.isoswitch.settlement.JournalUnavailableException;
import io.isoswitch.settlement.SqlFailures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's database, opened once at start: a HikariCP pool, the schema migrated to the
 * latest version by Flyway, and a small executor for blocking reads. HikariCP replaces broken
 * connections by itself, so the journal recovers when the database comes back.
 *
 * <pre>{@code
 * try (JournalDatabase db = JournalDatabase.open(DatabaseConfig.defaults())) {
 *     Journal journal = new Journal(db, JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC());
 * }
 * }</pre>
 */
public final class JournalDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalDatabase.class);
    /** Migrations common to H2 and PostgreSQL. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/migration";
    /** PostgreSQL-only storage settings (H2 has no equivalent): versions never shared with the common folder. */
    public static final String POSTGRESQL_MIGRATIONS_LOCATION = "classpath:db/migration-postgresql";

    private final DatabaseConfig config;
    private final HikariDataSource pool;
    /** The pool as every user of the journal gets it: failing at once while the database is out of reach. */
    private final FailFastDataSource connections;
    private final BlockingSqlExecutor executor;
    private final String schemaVersion;

    private JournalDatabase(DatabaseConfig config, HikariDataSource pool, String schemaVersion) {
        this.config = config;
        this.pool = pool;
        this.connections = new FailFastDataSource(pool);
        this.schemaVersion = schemaVersion;
        this.executor = new BlockingSqlExecutor(connections, ioThreads(), "journal-io", networkTimeoutMs());
    }

    /** Opens the pool and migrates the schema; fails fast with a clear message if either fails. */
    public static JournalDatabase open(DatabaseConfig config) {
        LOG.info("journal database: {} ({})", config, config.vendor());
        createSchemaIfAbsent(config);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikariConfig(config));
        } catch (HikariPool.PoolInitializationException e) {
            // the address and the driver's own reason: "cannot connect" alone left an operator guessing which database and why
            throw new JournalUnavailableException("journal database: cannot connect to " + config.vendor() + " at "
                    + DatabaseConfig.maskUrlPassword(config.jdbcUrl()) + " within " + config.connectionTimeoutMs() + " ms: "
                    + rootMessage(e), e);
        }
        try {
            MigrateResult result = flyway(config, pool).migrate();
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
            LOG.info("journal schema at version {} ({} migrations applied)", version, result.migrationsExecuted);
            return new JournalDatabase(config, pool, version);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The innermost cause's message: the driver's reason (connection refused, authentication failed, no such database). */
    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The pool's connections switch to the schema as they open, so it must exist before the pool does. */
    private static void createSchemaIfAbsent(DatabaseConfig config) {
        if (config.schema() == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(config.connectionUrl(), config.user(), config.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + config.schema());
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "journal database: creating schema " + config.schema());
        }
    }

    private static HikariConfig hikariConfig(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("journal");
        hikari.setJdbcUrl(config.connectionUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setConnectionTimeout(config.connectionTimeoutMs());
        hikari.setValidationTimeout(Math.min(config.connectionTimeoutMs(), 1_000));
        hikari.setAutoCommit(true);
        if (config.schema() != null) {
            hikari.setSchema(config.schema());
        }
        if (config.vendor() == DatabaseVendor.POSTGRESQL) {
            // pgjdbc otherwise copies parameter values (PAN token, ciphertext) and failing rows into
            // exception messages, which HikariCP then logs.
            hikari.addDataSourceProperty("logServerErrorDetail", "false");
        }
        // Fail at start, not at the first transaction, if the database is unreachable.
        hikari.setInitializationFailTimeout(config.connectionTimeoutMs());
        return hikari;
    }

    private static Flyway flyway(DatabaseConfig config, DataSource dataSource) {
        var flyway = Flyway.configure().dataSource(dataSource).locations(config.vendor() == DatabaseVendor.POSTGRESQL
                ? new String[] {MIGRATIONS_LOCATION, POSTGRESQL_MIGRATIONS_LOCATION} : new String[] {MIGRATIONS_LOCATION});
        if (config.schema() != null) {
            flyway = flyway.schemas(config.schema()).defaultSchema(config.schema());
        }
        return flyway.load();
    }

    /**
     * How long the journal's writers and its executor's statements wait for the database's answer
     * (0: for ever). Only a networked database gets one: the embedded H2 has no network to lose.
     */
    public int networkTimeoutMs() {
        return config.vendor() == DatabaseVendor.POSTGRESQL ? (int) config.networkTimeoutMs() : 0;
    }

    /** Threads (hence connections) for blocking reads, SAF and counters: half the pool, at least one, at most four. */
    public int ioThreads() {
        return Math.max(1, Math.min(4, config.poolSize() / 2));
    }

    /**
     * The journal's connections: the pool, except that while the database is out of reach every
     * caller fails at once and a probe of its own waits for a connection ({@link FailFastDataSource}).
     */
    public DataSource dataSource() {
        return connections;
    }

    /** The executor on which reads, store-and-forward and limit counters run. */
    public BlockingSqlExecutor executor() {
        return executor;
    }

    public DatabaseConfig config() {
        return config;
    }

    public DatabaseVendor vendor() {
        return config.vendor();
    }

    /** The schema version after migration, e.g. "4". */
    public String schemaVersion() {
        return schemaVersion;
    }

    @Override
    public void close() {
        connections.close();
        executor.close();
        pool.close();
    }
}
