package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.Checks;
import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.saf.SafRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The nodes sharing one journal database, each with a lease it renews while it runs (table
 * {@code switch_node}). A node that dies leaves records SENT (asked the issuer, no outcome) that
 * only its own restart would resolve; when its lease has expired, a surviving node takes it over:
 * it claims the dead node's row, resolves its SENT records as crash recovery does (reversal queued)
 * and frees the store-and-forward leases it held, all in one transaction. The claim is a
 * conditional UPDATE on a locked row and every record moves only while still SENT, so however many
 * nodes look at once, each record gets one reversal.
 */
public final class NodeLeases {
    private static final String RENEW = """
            UPDATE switch_node SET renewed_at = ?, lease_until = ?, issuers_reachable = ?, taken_over_by = NULL, taken_over_at = NULL
             WHERE node_id = ?""";
    private static final String REGISTER = """
            INSERT INTO switch_node (node_id, started_at, renewed_at, lease_until, issuers_reachable) VALUES (?, ?, ?, ?, ?)""";
    private static final String PEERS_REACHING_ISSUERS = """
            SELECT count(*) FROM switch_node WHERE node_id <> ? AND lease_until >= ? AND taken_over_by IS NULL AND issuers_reachable""";
    private static final String EXPIRED = """
            SELECT node_id FROM switch_node WHERE node_id <> ? AND lease_until < ? AND taken_over_by IS NULL
             ORDER BY node_id FOR UPDATE SKIP LOCKED""";
    private static final String CLAIM = """
            UPDATE switch_node SET taken_over_by = ?, taken_over_at = ?
             WHERE node_id = ? AND lease_until < ? AND taken_over_by IS NULL""";
    private static final String RELEASE_SAF_LEASES = """
            UPDATE saf_queue SET lease_until = NULL, updated_at = ? WHERE claimed_by = ? AND state = 'PENDING' AND lease_until IS NOT NULL""";

    /** What a take-over of one dead node did. */
    public record TakeOver(String deadNodeId, RecoveryReport resolved, int safLeasesReleased) {
    }

    private final BlockingSqlExecutor executor;
    private final Clock clock;

    public NodeLeases(JournalDatabase database, Clock clock) {
        this.executor = database.executor();
        this.clock = clock;
    }

    /**
     * Renews {@code nodeId}'s lease until now plus {@code lease} (registering the node the first
     * time), as a node that reaches its issuers. A node renewing its lease is alive again: a
     * take-over claim on it is cleared.
     */
    public CompletableFuture<Void> renew(String nodeId, Duration lease) {
        return renew(nodeId, lease, true).thenApply(peers -> null);
    }

    /**
     * Renews {@code nodeId}'s lease as {@link #renew(String, Duration)} does, recording whether it
     * has an issuer link up, and answers whether another live node (lease not expired, not taken
     * over) had one up at its own last renewal.
     */
    public CompletableFuture<Boolean> renew(String nodeId, Duration lease, boolean issuersReachable) {
        Checks.identifier(nodeId, 64, "nodeId");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: expected > 0, found " + lease);
        }
        return executor.inTransaction("node lease renewal", c -> {
            Instant now = SqlValues.stored(clock.instant());
            write(c, nodeId, now, now.plus(lease), issuersReachable);
            try (PreparedStatement s = c.prepareStatement(PEERS_REACHING_ISSUERS)) {
                s.setString(1, nodeId);
                SqlValues.setInstant(s, 2, now);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() && r.getLong(1) > 0;
                }
            }
        });
    }

    private static void write(Connection c, String nodeId, Instant now, Instant until, boolean issuersReachable)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(RENEW)) {
            SqlValues.setInstant(s, 1, now);
            SqlValues.setInstant(s, 2, until);
            s.setBoolean(3, issuersReachable);
            s.setString(4, nodeId);
            if (s.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement s = c.prepareStatement(REGISTER)) {
            s.setString(1, nodeId);
            SqlValues.setInstant(s, 2, now);
            SqlValues.setInstant(s, 3, now);
            SqlValues.setInstant(s, 4, until);
            s.setBoolean(5, issuersReachable);
            s.executeUpdate();
        }
    }

    /**
     * Takes over every node but {@code nodeId} whose lease has expired and that nobody took over
     * yet (see the class comment). Empty when no node is dead.
     *
     * @param reversalFor the reversal to queue for a dead node's SENT record, or empty where there
     *                    is nothing to reverse (it moves to TIMED_OUT)
     */
    public CompletableFuture<List<TakeOver>> takeOverDead(String nodeId,
                                                          Function<JournalEntry, Optional<SafRequest>> reversalFor) {
        Checks.identifier(nodeId, 64, "nodeId");
        return executor.inTransaction("node take-over", c -> {
            Instant now = SqlValues.stored(clock.instant());
            List<String> expired = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(EXPIRED)) {
                s.setString(1, nodeId);
                SqlValues.setInstant(s, 2, now);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        expired.add(r.getString(1));
                    }
                }
            }
            List<TakeOver> done = new ArrayList<>();
            for (String dead : expired) {
                if (claim(c, nodeId, dead, now)) {
                    // everything it left SENT: a dead node waits for no answer
                    RecoveryReport resolved = CrashRecovery.resolve(c, dead, now.plusSeconds(1), reversalFor, now);
                    done.add(new TakeOver(dead, resolved, releaseSafLeases(c, dead, now)));
                }
            }
            return List.copyOf(done);
        });
    }

    private static boolean claim(Connection c, String nodeId, String dead, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CLAIM)) {
            s.setString(1, nodeId);
            SqlValues.setInstant(s, 2, now);
            s.setString(3, dead);
            SqlValues.setInstant(s, 4, now);
            return s.executeUpdate() == 1;
        }
    }

    private static int releaseSafLeases(Connection c, String dead, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(RELEASE_SAF_LEASES)) {
            SqlValues.setInstant(s, 1, now);
            s.setString(2, dead);
            return s.executeUpdate();
        }
    }
}
