package io.isoswitch.core.testing;

import io.isoswitch.core.config.JournalConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The database an end-to-end test journals to: H2 in memory (the embedded default's engine) or the
 * real PostgreSQL on 127.0.0.1:5432 (database {@code test}), where each test class gets a schema of
 * its own that {@link #close()} drops. Tests read and break the journal through {@link #connect()},
 * a connection of their own beside the switch's pool.
 */
public final class JournalBackend implements AutoCloseable {
    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String POSTGRES_USER = "postgres";

    private final String name;
    private final String url;
    private final String user;
    private final String schema;

    private JournalBackend(String name, String url, String user, String schema) {
        this.name = name;
        this.url = url;
        this.user = user;
        this.schema = schema;
    }

    /** A fresh in-memory H2 database in PostgreSQL mode, kept while the JVM runs. */
    public static JournalBackend h2() {
        return new JournalBackend("h2", "jdbc:h2:mem:e2e-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", null);
    }

    /** A new schema named after {@code owner} (a test class) in PostgreSQL's {@code test} database. */
    public static JournalBackend postgres(Class<?> owner) {
        String schema = ("e2e_" + owner.getSimpleName() + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replace('-', '_');
        schema = schema.substring(0, Math.min(schema.length(), 63));
        // the application name tells this class's connections apart from other tests' on the same database
        JournalBackend backend = new JournalBackend("postgresql", POSTGRES_URL + "?ApplicationName=" + schema, POSTGRES_USER, schema);
        backend.execute("CREATE SCHEMA " + backend.schema);
        return backend;
    }

    /** Schema {@code schema} (created now, dropped by {@link #close()}) in PostgreSQL's {@code test} database. */
    public static JournalBackend postgresSchema(String schema) {
        JournalBackend backend = new JournalBackend("postgresql", POSTGRES_URL + "?ApplicationName=" + schema, POSTGRES_USER, schema);
        backend.execute("CREATE SCHEMA " + schema);
        return backend;
    }

    public String name() {
        return name;
    }

    public boolean postgres() {
        return schema != null;
    }

    /** The switch's journal configuration for this database ({@code poolSize} 0 for the default). */
    public JournalConfig config(int poolSize, long connectionTimeoutMs) {
        return new JournalConfig(url, user, null, poolSize, connectionTimeoutMs, schema);
    }

    /** A connection of the test's own, in the journal's schema. */
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, "");
        if (schema != null) {
            c.setSchema(schema);
        }
        return c;
    }

    /**
     * Terminates every PostgreSQL backend of this class's schema but the caller's: the switch's pool
     * loses its connections as if the database had restarted. Returns how many were terminated.
     */
    public int terminateSwitchConnections(Connection own) throws SQLException {
        if (schema == null) {
            throw new IllegalStateException("only a PostgreSQL journal's connections can be terminated");
        }
        try (java.sql.PreparedStatement s = own.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ?")) {
            s.setString(1, schema);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** Runs one statement on a connection of the test's own. */
    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("journal backend " + name + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }

    /** Drops the PostgreSQL schema (H2's memory database goes with the JVM). */
    @Override
    public void close() {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("dropping schema " + schema + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
