package io.isoswitch.settlement.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** Single-row lookups run inside a caller's transaction (the writer's or a reader's). */
final class JournalQueries {
    private JournalQueries() {}

    static Optional<JournalEntry> byKey(Connection c, IdempotencyKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(JournalRows.SELECT_BY_KEY)) {
            s.setString(1, key.terminalId());
            s.setString(2, key.stan());
            s.setObject(3, key.transactionDate());
            s.setString(4, key.mtiClass());
            return single(s);
        }
    }

    static Optional<JournalEntry> byId(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(JournalRows.SELECT_BY_ID)) {
            s.setObject(1, id);
            return single(s);
        }
    }

    static Optional<TransactionState> stateOf(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT state FROM journal WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? Optional.of(TransactionState.valueOf(row.getString(1))) : Optional.empty();
            }
        }
    }

    private static Optional<JournalEntry> single(PreparedStatement s) throws SQLException {
        try (ResultSet row = s.executeQuery()) {
            return row.next() ? Optional.of(JournalRows.map(row)) : Optional.empty();
        }
    }
}
