package io.isoswitch.core.testing;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the journal table as a test sees it, through a connection of its own: what the switch made
 * durable, whatever it answered.
 */
public final class JournalRows {
    private static final String COLUMNS = "terminal_id, stan, mti_class, transaction_type, state, response_code, auth_code, "
            + "switch_rrn, switch_stan, issuer_id, amount_minor, masked_pan";

    private final JournalBackend backend;

    public JournalRows(JournalBackend backend) {
        this.backend = backend;
    }

    /** One journal row. */
    public record Row(String terminalId, String stan, String mtiClass, String type, String state, String responseCode,
                      String authCode, String switchRrn, String switchStan, String issuerId, long amountMinor, String maskedPan) {
    }

    /**
     * The rows of one terminal's STAN (one per message class), its own messages only: not the
     * switch's reversal of an approval answered 96, which carries its STAN (MTI version 9).
     */
    public List<Row> of(String terminalId, String stan) {
        return query("SELECT " + COLUMNS + " FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%' ORDER BY mti_class", terminalId, stan);
    }

    /** The switch's own reversals (of approvals whose terminal heard 96) naming the record of a terminal's STAN. */
    public List<Row> switchReversalsOf(String terminalId, String stan) {
        return query("SELECT " + COLUMNS + " FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class LIKE '9%'"
                + " ORDER BY mti_class", terminalId, stan);
    }

    /** The single row of a terminal's STAN, if there is one. */
    public Optional<Row> find(String terminalId, String stan) {
        List<Row> rows = of(terminalId, stan);
        if (rows.size() > 1) {
            throw new AssertionError("expected at most one journal row for " + terminalId + "/" + stan + ", found " + rows);
        }
        return rows.stream().findFirst();
    }

    /** Waits, up to {@code atMost}, until the single row of a terminal's STAN reads {@code state}. */
    public void awaitState(String terminalId, String stan, String state, Duration atMost) {
        await().atMost(atMost).until(() -> find(terminalId, stan).map(Row::state).orElse("").equals(state));
    }

    /** Every row of the terminals' own messages (not the switch's reversals of approvals answered 96: {@link #switchReversalsOf}). */
    public List<Row> all() {
        return query("SELECT " + COLUMNS + " FROM journal WHERE mti_class NOT LIKE '9%' ORDER BY terminal_id, stan");
    }

    private List<Row> query(String sql, String... args) {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                            r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getLong(11), r.getString(12)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the journal failed: " + e.getMessage(), e);
        }
    }
}
