package io.isoswitch.settlement.store;

import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The latest sign-on of each terminal, in the journal database so that every node of a deployment
 * learns of a sign-on at another: one row per terminal with a generation that counts its sign-ons
 * (the update's row lock orders two at once), the node that took it, and when (the database's clock,
 * so that the nodes' clocks play no part in what a poll finds). Reads and writes run on the
 * database's executor, never on an event loop; nothing here is read per request.
 */
public final class TerminalSignOns {
    private static final String CREATE = "INSERT INTO terminal_sign_on (terminal_id, generation, node_id, signed_on_at)"
            + " VALUES (?, 0, ?, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING";
    private static final String NEXT = "UPDATE terminal_sign_on SET generation = generation + 1, node_id = ?, signed_on_at = CURRENT_TIMESTAMP"
            + " WHERE terminal_id = ?";
    private static final String GENERATION = "SELECT generation FROM terminal_sign_on WHERE terminal_id = ?";
    private static final String NOW = "SELECT CURRENT_TIMESTAMP";
    private static final String SINCE = "SELECT terminal_id, generation FROM terminal_sign_on WHERE signed_on_at >= ?";

    /** A terminal's latest sign-on. */
    public record SignOn(String terminalId, long generation) {
    }

    /**
     * What a poll found.
     *
     * @param signOns        the sign-ons at or after the instant asked for
     * @param databaseNow    the database's clock when the poll read them: ask from a little before
     *                       it next time, as a sign-on whose transaction began earlier may commit later
     */
    public record Changes(List<SignOn> signOns, Instant databaseNow) {
    }

    private final BlockingSqlExecutor executor;

    public TerminalSignOns(JournalDatabase database) {
        this.executor = database.executor();
    }

    /** Records a sign-on of {@code terminalId} at {@code nodeId}; completes with its generation (1 for the first). */
    public CompletableFuture<Long> record(String terminalId, String nodeId) {
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(nodeId, "nodeId");
        return executor.inTransaction("terminal sign-on", c -> {
            // insert-then-update instead of an upsert: H2 knows ON CONFLICT DO NOTHING only
            try (PreparedStatement create = c.prepareStatement(CREATE); PreparedStatement next = c.prepareStatement(NEXT);
                 PreparedStatement read = c.prepareStatement(GENERATION)) {
                create.setString(1, terminalId);
                create.setString(2, nodeId);
                create.executeUpdate();
                next.setString(1, nodeId);
                next.setString(2, terminalId);
                next.executeUpdate();
                read.setString(1, terminalId);
                try (ResultSet row = read.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    /** The database's clock now: where a node that starts begins to poll. */
    public CompletableFuture<Instant> databaseNow() {
        return executor.inTransaction("terminal sign-on clock", TerminalSignOns::now);
    }

    /** The sign-ons recorded at or after {@code since} (the database's clock). */
    public CompletableFuture<Changes> since(Instant since) {
        Objects.requireNonNull(since, "since");
        return executor.inTransaction("terminal sign-ons since", c -> {
            Instant now = now(c);
            List<SignOn> found = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(SINCE)) {
                SqlValues.setInstant(s, 1, since);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        found.add(new SignOn(rows.getString(1), rows.getLong(2)));
                    }
                }
            }
            return new Changes(List.copyOf(found), now);
        });
    }

    private static Instant now(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(NOW); ResultSet row = s.executeQuery()) {
            row.next();
            return row.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }
}
