package io.isoswitch.settlement.saf;

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
 * Deletes finished store-and-forward entries, delivered ({@code DONE}) or cancelled before they went
 * ({@code CANCELLED}: a void reversed before its sale's reversal was sent), and their delivery
 * attempts, once they are older than a retention (by {@code done_at}): they are the queue's
 * history, not money. Pending entries are never deleted, nor abandoned ones, which await a person. The journal records
 * they were built from stay (settlement, repeats, audits and disputes read them); archiving the
 * journal is a different job, not done here.
 *
 * <p>A call deletes at most a batch, in one short transaction: the rows are taken
 * {@code FOR UPDATE SKIP LOCKED}, so two nodes purging at once share the work instead of waiting
 * for each other, and a purge never waits behind an acknowledgement. On PostgreSQL the index
 * {@code saf_queue_finished} ({@code done_at}, delivered and cancelled rows only) finds them; H2 reads the table.
 */
public final class SafRetention {
    /** The largest batch one call deletes: one short transaction, one {@code IN} list. */
    public static final int MAX_BATCH = SafRows.IDS_PER_QUERY;
    static final String DONE_BEFORE = """
            SELECT id FROM saf_queue WHERE state IN ('DONE', 'CANCELLED') AND done_at < ?
             ORDER BY done_at FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED""";

    private final BlockingSqlExecutor executor;

    public SafRetention(JournalDatabase database) {
        this.executor = Objects.requireNonNull(database, "database").executor();
    }

    /**
     * Deletes up to {@code max} entries delivered or cancelled before {@code doneBefore}, with their attempts.
     * Completes with how many were deleted: fewer than {@code max} when no more are due (or
     * another node holds the rest).
     */
    public CompletableFuture<Integer> purgeDone(Instant doneBefore, int max) {
        Objects.requireNonNull(doneBefore, "doneBefore");
        if (max < 1 || max > MAX_BATCH) {
            throw new IllegalArgumentException("max: expected 1 to " + MAX_BATCH + ", found " + max);
        }
        return executor.inTransaction("saf purge", c -> purge(c, SqlValues.stored(doneBefore), max));
    }

    private static int purge(Connection c, Instant doneBefore, int max) throws SQLException {
        List<Long> ids = new ArrayList<>(max);
        try (PreparedStatement s = c.prepareStatement(DONE_BEFORE)) {
            SqlValues.setInstant(s, 1, doneBefore);
            s.setInt(2, max);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        String in = " IN (" + SafRows.placeholders(ids.size()) + ")";
        try (PreparedStatement attempts = c.prepareStatement("DELETE FROM saf_attempt WHERE saf_id" + in);
             PreparedStatement entries = c.prepareStatement("DELETE FROM saf_queue WHERE state IN ('DONE', 'CANCELLED') AND id" + in)) {
            for (int i = 0; i < ids.size(); i++) {
                attempts.setLong(i + 1, ids.get(i));
                entries.setLong(i + 1, ids.get(i));
            }
            attempts.executeUpdate();
            return entries.executeUpdate();
        }
    }
}
