package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.saf.SafInserts;
import io.isoswitch.settlement.saf.SafRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Resolves the records one node left SENT without an outcome: each gets a reversal queued to its
 * issuer and moves to REVERSAL_PENDING in the same transaction, or, where there is nothing to
 * reverse, moves to TIMED_OUT. At start a node resolves all of its own; while it runs, those older
 * than any request can wait for its answer (their outcome could not be written: the journal
 * refused or timed out after the issuer was asked). Another node's SENT records may still be
 * waiting for their answer, so they are left alone until that node is dead ({@link NodeLeases}).
 */
public final class CrashRecovery {
    private static final String LOCK_UNANSWERED = "SELECT " + JournalRows.COLUMNS
            + " FROM journal WHERE " + InFlight.OF_NODE + " AND created_at < ? ORDER BY created_at, settle_seq FOR UPDATE";
    private static final String RESOLVE = "UPDATE journal SET state = ?, updated_at = ? WHERE id = ? AND state = 'SENT'";

    private final BlockingSqlExecutor executor;
    private final Clock clock;

    public CrashRecovery(JournalDatabase database, Clock clock) {
        this.executor = database.executor();
        this.clock = clock;
    }

    /**
     * Resolves {@code nodeId}'s records still SENT that were written before {@code before}
     * (normally this process's start).
     *
     * @param reversalFor the reversal to queue for a record, or empty where nothing needs reversing
     */
    public CompletableFuture<RecoveryReport> resolveUnanswered(
            String nodeId, Instant before, Function<JournalEntry, Optional<SafRequest>> reversalFor) {
        return executor.inTransaction("journal crash recovery",
                c -> resolve(c, nodeId, before, reversalFor, SqlValues.stored(clock.instant())));
    }

    /**
     * As {@link #resolveUnanswered}, inside the caller's transaction (a take-over of a dead node,
     * see {@link NodeLeases}). Exactly once across nodes: the records are locked and moved only
     * while still SENT, and a reversal is queued only for a record this call moved.
     */
    static RecoveryReport resolve(Connection c, String nodeId, Instant before,
                                  Function<JournalEntry, Optional<SafRequest>> reversalFor, Instant now) throws SQLException {
        List<JournalEntry> unanswered;
        try (PreparedStatement s = c.prepareStatement(LOCK_UNANSWERED)) {
            s.setString(1, nodeId);
            SqlValues.setInstant(s, 2, before);
            unanswered = JournalReader.list(s);
        }
        List<Optional<SafRequest>> plans = new ArrayList<>(unanswered.size());
        int[] counts;
        try (PreparedStatement update = c.prepareStatement(RESOLVE)) {
            for (JournalEntry entry : unanswered) {
                Optional<SafRequest> reversal = reversalFor.apply(entry);
                plans.add(reversal);
                update.setString(1, (reversal.isPresent() ? TransactionState.REVERSAL_PENDING : TransactionState.TIMED_OUT).name());
                SqlValues.setInstant(update, 2, now);
                update.setObject(3, entry.id());
                update.addBatch();
            }
            counts = update.executeBatch();
        }
        List<JournalEntry> reversed = new ArrayList<>();
        List<JournalEntry> timedOut = new ArrayList<>();
        List<SafInserts.Pending> forwards = new ArrayList<>();
        List<UUID> resolvedIds = new ArrayList<>();
        for (int i = 0; i < unanswered.size(); i++) {
            if (counts[i] == 0) {
                continue; // resolved meanwhile: the row lock makes this impossible, the condition makes it harmless
            }
            JournalEntry entry = unanswered.get(i);
            resolvedIds.add(entry.id());
            Optional<SafRequest> reversal = plans.get(i);
            TransactionState next = reversal.isPresent() ? TransactionState.REVERSAL_PENDING : TransactionState.TIMED_OUT;
            JournalEntry resolved = new JournalEntry(entry.id(), entry.request(), next, null, entry.lateOutcome(),
                    entry.createdAt(), now);
            if (reversal.isPresent()) {
                forwards.add(new SafInserts.Pending(entry.id(), reversal.get()));
                reversed.add(resolved);
            } else {
                timedOut.add(resolved);
            }
        }
        InFlight.remove(c, resolvedIds);
        InFlight.removeStale(c, nodeId);
        SafInserts.insert(c, forwards, now);
        return new RecoveryReport(reversed, timedOut);
    }
}
