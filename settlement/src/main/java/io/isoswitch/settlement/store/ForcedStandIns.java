package io.isoswitch.settlement.store;

import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The issuers operations put in forced stand-in, one row per issuer ever switched, in the journal
 * database so that every node of a deployment agrees and a restart keeps the flag. Reads and writes
 * run on the database's executor, never on an event loop.
 */
public final class ForcedStandIns {
    private static final String CREATE = "INSERT INTO forced_stand_in (issuer_id, forced, changed_by, changed_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String UPDATE = "UPDATE forced_stand_in SET forced = ?, changed_by = ?, changed_at = ? WHERE issuer_id = ?";
    private static final String FORCED = "SELECT issuer_id FROM forced_stand_in WHERE forced";

    private final BlockingSqlExecutor executor;
    private final Clock clock;

    public ForcedStandIns(JournalDatabase database, Clock clock) {
        this.executor = database.executor();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Forces stand-in of {@code issuerId} on or off for every node; {@code changedBy} names the node that was told. */
    public CompletableFuture<Void> set(String issuerId, boolean forced, String changedBy) {
        Objects.requireNonNull(issuerId, "issuerId");
        Objects.requireNonNull(changedBy, "changedBy");
        return executor.inTransaction("forced stand-in set", c -> {
            // insert-then-update instead of an upsert: H2 knows ON CONFLICT DO NOTHING only
            try (PreparedStatement create = c.prepareStatement(CREATE); PreparedStatement update = c.prepareStatement(UPDATE)) {
                create.setString(1, issuerId);
                create.setBoolean(2, forced);
                create.setString(3, changedBy);
                SqlValues.setInstant(create, 4, SqlValues.stored(clock.instant()));
                if (create.executeUpdate() == 0) {
                    update.setBoolean(1, forced);
                    update.setString(2, changedBy);
                    SqlValues.setInstant(update, 3, SqlValues.stored(clock.instant()));
                    update.setString(4, issuerId);
                    update.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The issuers in forced stand-in now. */
    public CompletableFuture<Set<String>> forced() {
        return executor.inTransaction("forced stand-in read", c -> {
            Set<String> issuers = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement(FORCED); ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    issuers.add(rows.getString(1));
                }
            }
            return Set.copyOf(issuers);
        });
    }
}
