package io.isoswitch.settlement.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/** Runs work in one JDBC transaction on the calling thread: commit on return, rollback on throw. */
public final class Transactions {
    private Transactions() {}

    /** The driver runs nothing on it (PostgreSQL's sets a socket timeout); JDBC only asks for one. */
    private static final Executor UNUSED = Runnable::run;

    /** Blocking: call only from a database thread, never from an event loop. */
    public static <T> T inTransaction(DataSource dataSource, SqlWork<T> work) throws SQLException {
        return inTransaction(dataSource, 0, work);
    }

    /**
     * As {@link #inTransaction(DataSource, SqlWork)}, with every read of the database's answers
     * bounded by {@code networkTimeoutMs} (0: unbounded): past it the driver closes the connection
     * and the work fails as a connection failure, instead of waiting for ever on a connection whose
     * network path died without a reset. The pool restores the connection's timeout when it is returned.
     */
    public static <T> T inTransaction(DataSource dataSource, int networkTimeoutMs, SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (networkTimeoutMs > 0) {
                connection.setNetworkTimeout(UNUSED, networkTimeoutMs);
            }
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /** Rolls back; a failure to roll back (the connection is gone) is attached to {@code cause}. */
    public static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
