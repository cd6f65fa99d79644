package io.isoswitch.settlement.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The journal rows still SENT, by node, kept in {@code journal_in_flight} so that {@code state}
 * needs no index and an outcome updates its journal row in place (a HOT update, no index entries).
 * Every write that makes a row SENT adds it here and every write that moves it on removes it, in
 * the same transaction; crash recovery reads it and re-checks the journal.
 */
final class InFlight {
    private static final String ADD = "INSERT INTO journal_in_flight (id, node_id) VALUES (?, ?)";
    private static final String REMOVE = "DELETE FROM journal_in_flight WHERE id = ?";
    /** Rows of a node whose journal row has moved on (committed): a path that left them behind. */
    private static final String REMOVE_STALE = """
            DELETE FROM journal_in_flight WHERE node_id = ?
               AND id IN (SELECT j.id FROM journal j WHERE j.id = journal_in_flight.id AND j.state <> 'SENT')""";

    /**
     * The journal rows of one node still SENT, for {@code SELECT <columns> FROM journal WHERE}. Order
     * such rows by created_at then settle_seq: rows of one instant then come in the order they were
     * written, as they did when an index on (node_id, state) found them.
     */
    static final String OF_NODE = "id IN (SELECT f.id FROM journal_in_flight f WHERE f.node_id = ?) AND state = 'SENT'";

    private InFlight() {}

    /** Records the entries just inserted that are SENT (others are not waiting for an issuer). */
    static void add(Connection c, List<JournalEntry> inserted) throws SQLException {
        if (inserted.stream().noneMatch(e -> e.state() == TransactionState.SENT)) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(ADD)) {
            for (JournalEntry e : inserted) {
                if (e.state() == TransactionState.SENT) {
                    s.setObject(1, e.id());
                    s.setString(2, e.request().nodeId());
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
    }

    /** Forgets rows that have left SENT. */
    static void remove(Connection c, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(REMOVE)) {
            for (UUID id : ids) {
                s.setObject(1, id);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    static void removeStale(Connection c, String nodeId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(REMOVE_STALE)) {
            s.setString(1, nodeId);
            s.executeUpdate();
        }
    }
}
