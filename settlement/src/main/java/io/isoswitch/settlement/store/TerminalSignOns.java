package io.isoswitch.settlement.store;

import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The latest sign-on of each terminal, in the journal database so that every node of a deployment
 * learns of a sign-on at another: one row per terminal with a generation that counts its sign-ons
 * (the update's row lock orders two at once), the node that took it, and when (the database's clock,
 * so that the nodes' clocks play no part in what a poll finds), and the working keys that sign-on
 * issued, as key blocks under the LMK, for a node that has no session of the terminal (started
 * again, or reached by the terminal after another). Reads and writes run on the database's
 * executor, never on an event loop; the keys are read only for a terminal with no session here.
 */
public final class TerminalSignOns {
    private static final String CREATE = "INSERT INTO terminal_sign_on (terminal_id, generation, node_id, signed_on_at)"
            + " VALUES (?, 0, ?, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING";
    /** The columns of the kept keys, emptied: no keys to take up. */
    private static final String NO_KEYS = "keys_generation = NULL, pin_key_block = NULL, mac_key_block = NULL, data_key_block = NULL,"
            + " keys_issued_at = NULL, keys_issued_on = NULL";
    /**
     * The next generation, a sign-on's or a sign-off's: the keys of the one it replaces go with it,
     * never to be taken up again (a sign-on keeps its own after, {@link #keep}).
     */
    private static final String NEXT = "UPDATE terminal_sign_on SET generation = generation + 1, node_id = ?, signed_on_at = CURRENT_TIMESTAMP, "
            + NO_KEYS + " WHERE terminal_id = ?";
    private static final String GENERATION = "SELECT generation FROM terminal_sign_on WHERE terminal_id = ?";
    private static final String NOW = "SELECT CURRENT_TIMESTAMP";
    private static final String SINCE = "SELECT terminal_id, generation FROM terminal_sign_on WHERE signed_on_at >= ?";
    private static final String KEEP = "UPDATE terminal_sign_on SET keys_generation = generation, pin_key_block = ?, mac_key_block = ?,"
            + " data_key_block = ?, keys_issued_at = ?, keys_issued_on = ? WHERE terminal_id = ? AND generation = ?";
    private static final String KEYS = "SELECT generation, pin_key_block, mac_key_block, data_key_block, keys_issued_at, keys_issued_on"
            + " FROM terminal_sign_on WHERE terminal_id = ? AND keys_generation = generation AND pin_key_block IS NOT NULL";
    private static final String FORGET = "UPDATE terminal_sign_on SET " + NO_KEYS + " WHERE terminal_id = ? AND keys_generation = ?";

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

    /**
     * The working keys a sign-on issued, as key blocks under the LMK.
     *
     * @param generation the sign-on that issued them
     * @param dataKey    the TDK, or null where the sign-on issued none
     * @param issuedOn   the business date they were issued on, or null where not known
     */
    public record Keys(long generation, String pinKey, String macKey, String dataKey, Instant issuedAt, LocalDate issuedOn) {
        public Keys {
            Objects.requireNonNull(pinKey, "pinKey");
            Objects.requireNonNull(macKey, "macKey");
            Objects.requireNonNull(issuedAt, "issuedAt");
        }

        @Override
        public String toString() {
            return "Keys[generation=" + generation + ", issuedAt=" + issuedAt + "]";
        }
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
            try (PreparedStatement create = c.prepareStatement(CREATE); PreparedStatement next = c.prepareStatement(NEXT)) {
                create.setString(1, terminalId);
                create.setString(2, nodeId);
                create.executeUpdate();
                next.setString(1, nodeId);
                next.setString(2, terminalId);
                next.executeUpdate();
            }
            return generation(c, terminalId);
        });
    }

    /**
     * Keeps the keys sign-on {@code keys.generation()} of {@code terminalId} issued, for another node or
     * this one started again; completes with false when a later sign-on (or a sign-off) came first,
     * whose row is left as it is.
     */
    public CompletableFuture<Boolean> keep(String terminalId, Keys keys) {
        Objects.requireNonNull(terminalId, "terminalId");
        return executor.inTransaction("terminal keys", c -> {
            try (PreparedStatement s = c.prepareStatement(KEEP)) {
                s.setString(1, keys.pinKey());
                s.setString(2, keys.macKey());
                s.setString(3, keys.dataKey());
                SqlValues.setInstant(s, 4, keys.issuedAt());
                s.setObject(5, keys.issuedOn());
                s.setString(6, terminalId);
                s.setLong(7, keys.generation());
                return s.executeUpdate() == 1;
            }
        });
    }

    /** The keys of {@code terminalId}'s latest sign-on; empty when it has none kept (never signed on, or signed off since). */
    public CompletableFuture<Optional<Keys>> keys(String terminalId) {
        Objects.requireNonNull(terminalId, "terminalId");
        return executor.inTransaction("terminal keys read", c -> {
            try (PreparedStatement s = c.prepareStatement(KEYS)) {
                s.setString(1, terminalId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next()
                            ? Optional.of(new Keys(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                                    SqlValues.getInstant(r, "keys_issued_at"), r.getObject(6, LocalDate.class)))
                            : Optional.<Keys>empty();
                }
            }
        });
    }

    /**
     * Forgets the keys sign-on {@code generation} of {@code terminalId} issued (they retired at a
     * node: their last use, or their age), so that no node takes them up again; a later sign-on's
     * keys are left as they are. Completes with whether there were keys to forget.
     */
    public CompletableFuture<Boolean> forget(String terminalId, long generation) {
        Objects.requireNonNull(terminalId, "terminalId");
        return executor.inTransaction("terminal keys retired", c -> {
            try (PreparedStatement s = c.prepareStatement(FORGET)) {
                s.setString(1, terminalId);
                s.setLong(2, generation);
                return s.executeUpdate() == 1;
            }
        });
    }

    /**
     * Records a sign-off of {@code terminalId} at {@code nodeId}: a generation of its own, so that every
     * node ends the terminal's session as for a sign-on, and no keys left to take up. Completes with
     * that generation, or 0 when the terminal never signed on.
     */
    public CompletableFuture<Long> signOff(String terminalId, String nodeId) {
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(nodeId, "nodeId");
        return executor.inTransaction("terminal sign-off", c -> {
            try (PreparedStatement off = c.prepareStatement(NEXT)) {
                off.setString(1, nodeId);
                off.setString(2, terminalId);
                if (off.executeUpdate() == 0) {
                    return 0L;
                }
            }
            return generation(c, terminalId);
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

    /** The terminal's generation, read in the transaction that just moved it (its row is locked). */
    private static long generation(Connection c, String terminalId) throws SQLException {
        try (PreparedStatement read = c.prepareStatement(GENERATION)) {
            read.setString(1, terminalId);
            try (ResultSet row = read.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Instant now(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(NOW); ResultSet row = s.executeQuery()) {
            row.next();
            return row.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }
}
