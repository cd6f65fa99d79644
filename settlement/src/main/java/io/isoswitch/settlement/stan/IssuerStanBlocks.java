package io.isoswitch.settlement.stan;

import io.isoswitch.settlement.Checks;
import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out block numbers per issuer, each exactly once across every node and restart: the
 * counter row is moved by one UPDATE, whose row lock orders concurrent takers. The switch turns a
 * block number into a range of STANs.
 */
public final class IssuerStanBlocks {
    private static final String CREATE = """
            INSERT INTO issuer_stan_block (issuer_id, next_block, updated_at)
            SELECT ?, 0, ? WHERE NOT EXISTS (SELECT 1 FROM issuer_stan_block WHERE issuer_id = ?)""";
    private static final String TAKE = "UPDATE issuer_stan_block SET next_block = next_block + 1, updated_at = ? WHERE issuer_id = ?";
    private static final String TAKEN = "SELECT next_block FROM issuer_stan_block WHERE issuer_id = ?";

    private final BlockingSqlExecutor executor;
    private final Clock clock;

    public IssuerStanBlocks(JournalDatabase database, Clock clock) {
        this.executor = database.executor();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The next block number of {@code issuerId}: 0, 1, 2 ... never the same twice. */
    public CompletableFuture<Long> next(String issuerId) {
        Checks.identifier(issuerId, 32, "issuerId");
        // a concurrent first taker may win the insert; the loser's failure is harmless, the row is there
        return executor.inTransaction("stan block row", c -> {
            try (PreparedStatement s = c.prepareStatement(CREATE)) {
                s.setString(1, issuerId);
                SqlValues.setInstant(s, 2, SqlValues.stored(clock.instant()));
                s.setString(3, issuerId);
                return s.executeUpdate();
            }
        }).exceptionally(failure -> 0).thenCompose(created -> executor.inTransaction("stan block", c -> {
            try (PreparedStatement s = c.prepareStatement(TAKE)) {
                SqlValues.setInstant(s, 1, SqlValues.stored(clock.instant()));
                s.setString(2, issuerId);
                if (s.executeUpdate() != 1) {
                    throw new SQLException("issuer_stan_block has no row for " + issuerId);
                }
            }
            try (PreparedStatement s = c.prepareStatement(TAKEN)) {
                s.setString(1, issuerId);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1) - 1;
                }
            }
        }));
    }
}
