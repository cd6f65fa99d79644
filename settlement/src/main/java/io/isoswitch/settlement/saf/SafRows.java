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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads queue rows, each with the journal record it concerns. */
final class SafRows {
    static final String COLUMNS = """
            id, issuer_id, journal_id, kind, message_type, reason_code, amount_minor, currency, attempts, claimed_by,
            next_attempt_at, last_error, created_at, icc_data""";

    /** Ids bound in one {@code IN (...)} list. */
    static final int IDS_PER_QUERY = 500;

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
        Map<UUID, JournalEntry> originals = journalEntries(c, rows.stream().map(Row::journalId).distinct().toList());
        List<SafEntry> entries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            JournalEntry original = originals.get(row.journalId());
            if (original == null) {
                throw new SQLException("saf_queue refers to journal record " + row.journalId() + ", which does not exist", "23503");
            }
            entries.add(new SafEntry(row.id(), row.request(), row.attempts(), row.claimedBy(), row.next(), row.error(), row.created(),
                    original));
        }
        return entries;
    }

    /**
     * The journal records {@code ids}, by id: one query per {@value #IDS_PER_QUERY} of them, not one
     * each (a claimed window of entries would otherwise cost a round trip per entry).
     */
    private static Map<UUID, JournalEntry> journalEntries(Connection c, List<UUID> ids) throws SQLException {
        Map<UUID, JournalEntry> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
            try (PreparedStatement s = c.prepareStatement("SELECT " + JournalRows.COLUMNS + " FROM journal WHERE id IN ("
                    + placeholders(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    s.setObject(i + 1, chunk.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        JournalEntry entry = JournalRows.map(r);
                        found.put(entry.id(), entry);
                    }
                }
            }
        }
        return found;
    }

    /** {@code ?, ?, ...}, {@code count} of them. */
    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }
}
