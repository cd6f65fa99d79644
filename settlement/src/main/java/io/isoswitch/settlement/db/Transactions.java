package io.isoswitch.settlement.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs work in one JDBC transaction on the calling thread: commit on return, rollback on throw. */
public final class Transactions {
    private Transactions() {}

    /** Blocking: call only from a database thread, never from an event loop. */
    public static <T> T inTransaction(DataSource dataSource, SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
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
