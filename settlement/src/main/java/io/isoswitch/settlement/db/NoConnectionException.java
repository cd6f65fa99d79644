package io.isoswitch.settlement.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The journal's pool gave no connection ({@link FailFastDataSource}), so not one statement of the
 * work that asked for it reached the database: whatever it was to write was not written. Either the
 * database is known to be out of reach and another caller is already waiting for a connection (the
 * refusal at once), or the pool's own wait failed (its cause, as the pool gave it).
 */
public final class NoConnectionException extends SQLTransientConnectionException {
    private static final long serialVersionUID = 1L;
    /** SQLState of the refusal at once: "connection exception" (08), as the pool's own timeout. */
    static final String UNREACHABLE_STATE = "08001";

    private final boolean refusedAtOnce;

    private NoConnectionException(String message, String sqlState, Throwable cause, boolean refusedAtOnce) {
        super(message, sqlState, cause);
        this.refusedAtOnce = refusedAtOnce;
    }

    /** The database is out of reach and another caller is waiting for a connection: this one fails at once. */
    static NoConnectionException refusal() {
        return new NoConnectionException("journal database out of reach: failing at once while another caller waits for a"
                + " connection", UNREACHABLE_STATE, null, true);
    }

    /** The pool's own attempt to give a connection failed with {@code failure}. */
    static NoConnectionException notGot(SQLException failure) {
        return new NoConnectionException("journal database: no connection (" + failure.getMessage() + ")",
                failure.getSQLState() != null ? failure.getSQLState() : UNREACHABLE_STATE, failure, false);
    }

    /** True for the refusal at once, false where the pool's own wait failed. */
    public boolean refusedAtOnce() {
        return refusedAtOnce;
    }
}
