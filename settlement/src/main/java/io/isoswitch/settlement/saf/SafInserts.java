package io.isoswitch.settlement.saf;

import io.isoswitch.settlement.db.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Appends entries to the queue inside the caller's transaction, so that a journal state change
 * and the reversal or advice it implies are committed together or not at all.
 */
public final class SafInserts {
    private static final String INSERT = """
            INSERT INTO saf_queue (issuer_id, journal_id, kind, message_type, reason_code, amount_minor, currency,
                                   state, attempts, next_attempt_at, created_at, updated_at, icc_data, last_error)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?, ?)""";

    private SafInserts() {}

    /** One entry to append: the request and the journal record it belongs to. */
    public record Pending(UUID journalId, SafRequest request) {}

    /** Appends {@code entries} in list order (their ids, hence their delivery order, follow it). */
    public static void insert(Connection connection, List<Pending> entries, Instant now) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Pending entry : entries) {
                SafRequest r = entry.request();
                insert.setString(1, r.issuerId());
                insert.setObject(2, entry.journalId());
                insert.setString(3, r.kind().name());
                insert.setString(4, r.messageType());
                SqlValues.setString(insert, 5, r.reasonCode());
                insert.setLong(6, r.amountMinor());
                insert.setString(7, r.currency());
                SqlValues.setInstant(insert, 8, r.heldFor() == null ? now : now.plus(r.heldFor()));
                SqlValues.setInstant(insert, 9, now);
                SqlValues.setInstant(insert, 10, now);
                SqlValues.setBytes(insert, 11, r.iccData());
                SqlValues.setString(insert, 12, r.heldFor() == null ? null : StoreAndForwardQueue.HELD + "until its void's answer reaches the terminal");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
