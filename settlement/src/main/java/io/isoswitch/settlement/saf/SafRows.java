package io.isoswitch.settlement.saf;

import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads queue rows, each with the journal record it concerns. */
final class SafRows {
    static final String COLUMNS = """
            id, issuer_id, journal_id, kind, message_type, reason_code, amount_minor, currency, attempts, claimed_by,
            next_attempt_at, last_error, created_at, icc_data""";

    private SafRows() {}

    /** Runs {@code query} (over {@link #COLUMNS}) and loads each row's journal record. */
    static List<SafEntry> list(Connection c, PreparedStatement query) throws SQLException {
        record Row(long id, SafRequest request, UUID journalId, int attempts, String claimedBy, Instant next,
                   String error, Instant created) {}
        List<Row> rows = new ArrayList<>();
        try (ResultSet r = query.executeQuery()) {
            while (r.next()) {
                SafRequest request = new SafRequest(SafKind.valueOf(r.getString("kind")), r.getString("issuer_id"),
                        r.getString("message_type"), r.getString("reason_code"), r.getLong("amount_minor"),
                        r.getString("currency"), r.getBytes("icc_data"));
                rows.add(new Row(r.getLong("id"), request, r.getObject("journal_id", UUID.class), r.getInt("attempts"),
                        r.getString("claimed_by"), SqlValues.getInstant(r, "next_attempt_at"), r.getString("last_error"),
                        SqlValues.getInstant(r, "created_at")));
            }
        }
        List<SafEntry> entries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            entries.add(new SafEntry(row.id(), row.request(), row.attempts(), row.claimedBy(), row.next(), row.error(), row.created(),
                    journalEntry(c, row.journalId())));
        }
        return entries;
    }

    private static JournalEntry journalEntry(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(JournalRows.SELECT_BY_ID)) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("saf_queue refers to journal record " + id + ", which does not exist", "23503");
                }
                return JournalRows.map(r);
            }
        }
    }
}
