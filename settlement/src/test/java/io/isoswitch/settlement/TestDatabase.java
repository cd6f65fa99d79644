package io.isoswitch.settlement;

import io.isoswitch.settlement.db.DatabaseConfig;
import io.isoswitch.settlement.db.JournalDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A journal database in a schema of its own, on H2 (in memory) or on the PostgreSQL at
 * 127.0.0.1:5432 (database test, user postgres), dropped on close so that reruns and parallel
 * runs never collide. PostgreSQL being unreachable fails the test: it must run in CI.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String POSTGRES_USER = "postgres";

    private final Backend backend;
    private final DatabaseConfig config;
    private final JournalDatabase database;

    private TestDatabase(Backend backend, DatabaseConfig config) {
        this.backend = backend;
        this.config = config;
        this.database = JournalDatabase.open(config);
    }

    /** A fresh, migrated schema on {@code backend}. */
    public static TestDatabase open(Backend backend) {
        String schema = "t_" + HexFormat.of().formatHex(randomBytes());
        return new TestDatabase(backend, config(backend, schema));
    }

    /**
     * A fresh schema on PostgreSQL whose pool connections carry {@code application_name}
     * {@code "journal_" + schema}, so a test can cut off exactly its own connections.
     */
    public static TestDatabase openPostgresTagged() {
        requirePostgres();
        String schema = "t_" + HexFormat.of().formatHex(randomBytes());
        return new TestDatabase(Backend.POSTGRESQL, new DatabaseConfig(
                POSTGRES_URL + "?ApplicationName=journal_" + schema, POSTGRES_USER, "", 6, 2_000, schema));
    }

    /**
     * A fresh schema on PostgreSQL reached through 127.0.0.1:{@code port} (a proxy in front of
     * the database), tagged as {@link #openPostgresTagged()}, its statements waiting at most
     * {@code networkTimeoutMs} for an answer.
     */
    public static TestDatabase openPostgresThrough(int port, long networkTimeoutMs) {
        requirePostgres();
        String schema = "t_" + HexFormat.of().formatHex(randomBytes());
        return new TestDatabase(Backend.POSTGRESQL, new DatabaseConfig("jdbc:postgresql://127.0.0.1:" + port
                + "/test?ApplicationName=journal_" + schema, POSTGRES_USER, "", 6, 2_000, schema, networkTimeoutMs));
    }

    private static DatabaseConfig config(Backend backend, String schema) {
        return switch (backend) {
            case H2 -> new DatabaseConfig("jdbc:h2:mem:" + schema
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                    "sa", "", 6, 2_000, schema);
            case POSTGRESQL -> {
                requirePostgres();
                yield new DatabaseConfig(POSTGRES_URL, POSTGRES_USER, "", 6, 2_000, schema);
            }
        };
    }

    /** Fails with instructions when the PostgreSQL the tests need is not there. */
    public static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
            c.isValid(2);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + POSTGRES_URL + " as user " + POSTGRES_USER
                    + " (" + e.getMessage() + "). The settlement tests run on it: start it with ./run-tests "
                    + "(which runs scripts/postgres.sh) or create the database 'test'.", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    public JournalDatabase database() {
        return database;
    }

    public DatabaseConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** A second database handle on the same schema: another switch node, for races across nodes. */
    public JournalDatabase openAnotherNode() {
        return JournalDatabase.open(config);
    }

    /** A plain JDBC connection outside the pool, on this schema. */
    public Connection directConnection() throws SQLException {
        Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
        c.setSchema(config.schema());
        return c;
    }

    /** Runs one statement on a direct connection and returns the first column of the first row as a long. */
    public long queryLong(String sql) throws SQLException {
        try (Connection c = directConnection(); Statement s = c.createStatement(); var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * Whether one of this database's pool connections (tagged by {@link #openPostgresTagged()} or
     * {@link #openPostgresThrough}) is waiting for a lock: a statement a test holds with a lock of its own.
     */
    public boolean aPoolConnectionWaitsOnALock() throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "");
             java.sql.PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                     + " AND wait_event_type = 'Lock'")) {
            s.setString(1, "journal_" + config().schema());
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        database.close();
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             Statement s = c.createStatement()) {
            if (backend == Backend.H2) {
                s.execute("SHUTDOWN");
            } else {
                s.execute("DROP SCHEMA " + config.schema() + " CASCADE");
            }
        }
    }
}
