package io.isoswitch.settlement;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Sorts JDBC failures into the kinds the switch treats differently: the database is away
 * ({@link JournalUnavailableException}: a write may be in doubt), away before the work got a
 * connection ({@link JournalNotReachedException}: nothing written), or it refused this particular
 * write ({@link JournalWriteException}).
 */
public final class SqlFailures {
    /** PostgreSQL's "admin shutdown", "crash shutdown", "cannot connect now" and H2's closed-connection states. */
    private static final Set<String> CONNECTION_STATES =
            Set.of("57P01", "57P02", "57P03", "90067", "90098", "90121", "90013");

    private SqlFailures() {}

    /** True when the failure means the connection or the database went away, not that the SQL was refused. */
    public static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || CONNECTION_STATES.contains(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The typed exception for {@code e}, its message naming {@code operation} and the SQLState. */
    public static JournalException translate(SQLException e, String operation) {
        String message = operation + " failed (SQLState " + e.getSQLState() + ")";
        if (e instanceof io.isoswitch.settlement.db.NoConnectionException) {
            return new JournalNotReachedException(message + ": no connection to the database, nothing written", e);
        }
        return isConnectionFailure(e)
                ? new JournalUnavailableException(message + ": database unavailable", e)
                : new JournalWriteException(message, e);
    }
}
