package io.isoswitch.core.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.h2.api.Trigger;

/**
 * Test-only journal write failures, on H2 and on PostgreSQL alike: for the requests (terminal, STAN)
 * a test names, the database is out from the moment their record is to leave SENT (the issuer's
 * outcome, a timeout's reversal: the record stays SENT and the switch answers 96) and refuses to
 * give back their limit shares, until the test says the database is back ({@link #recover}). Triggers on {@code journal} and {@code limit_contribution}
 * read the table {@code failing_writes}; on H2 they are this class (H2 runs Java triggers).
 */
public final class FailingWrites {
    private final JournalBackend backend;

    private FailingWrites(JournalBackend backend) {
        this.backend = backend;
    }

    /** Installs the table and triggers in {@code backend}'s journal schema (after the switch migrated it). */
    public static FailingWrites install(JournalBackend backend) {
        backend.execute("CREATE TABLE failing_writes (terminal_id VARCHAR(16) NOT NULL, stan VARCHAR(6) NOT NULL, recovered BOOLEAN NOT NULL)");
        if (backend.postgres()) {
            backend.execute("CREATE FUNCTION fail_outcome() RETURNS trigger AS $$ BEGIN "
                    + "IF OLD.state = 'SENT' AND NEW.state <> 'SENT' AND EXISTS (SELECT 1 FROM failing_writes f WHERE NOT f.recovered "
                    + "AND f.terminal_id = NEW.terminal_id AND f.stan = NEW.stan) THEN RAISE EXCEPTION 'outcome write refused'; END IF; "
                    + "RETURN NEW; END $$ LANGUAGE plpgsql");
            backend.execute("CREATE TRIGGER fail_outcome BEFORE UPDATE ON journal FOR EACH ROW EXECUTE FUNCTION fail_outcome()");
            backend.execute("CREATE FUNCTION fail_give_back() RETURNS trigger AS $$ BEGIN "
                    + "IF EXISTS (SELECT 1 FROM failing_writes f WHERE NOT f.recovered AND OLD.contributor LIKE f.terminal_id || '|' "
                    + "|| f.stan || '|%') THEN RAISE EXCEPTION 'give-back refused'; END IF; RETURN OLD; END $$ LANGUAGE plpgsql");
            backend.execute("CREATE TRIGGER fail_give_back BEFORE DELETE ON limit_contribution FOR EACH ROW EXECUTE FUNCTION fail_give_back()");
        } else {
            backend.execute("CREATE TRIGGER fail_outcome BEFORE UPDATE ON journal FOR EACH ROW CALL '" + Outcome.class.getName() + "'");
            backend.execute("CREATE TRIGGER fail_give_back BEFORE DELETE ON limit_contribution FOR EACH ROW CALL '"
                    + GiveBack.class.getName() + "'");
        }
        return new FailingWrites(backend);
    }

    /** The moves of the record of request {@code terminalId}/{@code stan} out of SENT, and the give-back of its shares, will fail. */
    public void fail(String terminalId, String stan) {
        backend.execute("INSERT INTO failing_writes (terminal_id, stan, recovered) VALUES ('" + terminalId + "', '" + stan + "', FALSE)");
    }

    /** The database is back for every request named so far. */
    public void recover() {
        backend.execute("UPDATE failing_writes SET recovered = TRUE");
    }

    /** H2: refuses to move the record of a request in {@code failing_writes} out of SENT, until {@link #recover}. */
    public static final class Outcome extends Columns {
        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            if ("SENT".equals(oldRow[column("state")]) && !"SENT".equals(newRow[column("state")])
                    && failing(c, "SELECT 1 FROM failing_writes WHERE NOT recovered AND terminal_id = ? AND stan = ?",
                    (String) newRow[column("terminal_id")], (String) newRow[column("stan")])) {
                throw new SQLException("outcome write refused");
            }
        }
    }

    /** H2: refuses to give back a share of a request in {@code failing_writes}, until {@link #recover}. */
    public static final class GiveBack extends Columns {
        @Override
        public void fire(Connection c, Object[] oldRow, Object[] newRow) throws SQLException {
            String[] identity = String.valueOf(oldRow[column("contributor")]).split("\\|", -1);
            if (identity.length == 4 && failing(c, "SELECT 1 FROM failing_writes WHERE NOT recovered AND terminal_id = ? AND stan = ?",
                    identity[0], identity[1])) {
                throw new SQLException("give-back refused");
            }
        }
    }

    /** An H2 row trigger that reads its table's columns by name. */
    private abstract static class Columns implements Trigger {
        private final java.util.Map<String, Integer> columns = new java.util.HashMap<>();

        @Override
        public void init(Connection c, String schema, String trigger, String table, boolean before, int type) throws SQLException {
            try (ResultSet r = c.getMetaData().getColumns(null, schema, table, null)) {
                while (r.next()) {
                    columns.put(r.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), r.getInt("ORDINAL_POSITION") - 1);
                }
            }
        }

        int column(String name) {
            return columns.get(name);
        }

        static boolean failing(Connection c, String sql, String terminalId, String stan) throws SQLException {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, terminalId);
                s.setString(2, stan);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        }
    }
}
