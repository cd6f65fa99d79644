package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.NoSuchJournalRecordException;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.saf.SafInserts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Applies conditional state changes as one JDBC batch: a record moves only from the state the
 * caller expects, and the reversal or advice it implies is queued in the same transaction.
 */
final class TransitionApplier {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TransitionApplier.class);
    private static final String MOVE = "UPDATE journal SET state = ?, updated_at = ? WHERE id = ? AND state = ?";
    private static final String MOVE_UNLESS_ANSWERED_TO_REPEAT = MOVE + " AND answered_to_repeat_at IS NULL";
    private static final String ANSWER_TO_REPEAT = "UPDATE journal SET state = ?, updated_at = ?,"
            + " answered_to_repeat_at = COALESCE(answered_to_repeat_at, CURRENT_TIMESTAMP) WHERE id = ? AND state = ?";

    /**
     * The switch's own reversal of an approval its terminal heard 96 of (an owed reversal,
     * {@link TransitionWrite.Kind#MOVE_UNLESS_ANSWERED_TO_REPEAT} from an approved state): a REVERSAL
     * row naming the record, on its business date, approved, as a terminal's reversal is journaled,
     * so that settlement nets the approval out (or, its date settled already, carries the reversal
     * as a correction in the next run). Its key is the record's with the MTI's version digit 9
     * (ISO 8583: private use): no terminal message has it, so it never takes a terminal's key and
     * is never found where an original is looked for ({@code JournalReader}); one per record, since
     * the record's own key is unique. No issuer leg: the issuer saw the record's RRN, which its
     * clearing line carries. Parameters: new id, created_at, updated_at, the record's id.
     */
    static final String INSERT_SWITCH_REVERSAL = """
            INSERT INTO journal (id, node_id, business_date, terminal_id, merchant_id, stan, transaction_date, mti_class, mti,
                                 local_time, transaction_type, processing_code, amount_minor, currency, pan_token, masked_pan,
                                 original_id, state, outcome_state, response_code, created_at, updated_at)
            SELECT ?, node_id, business_date, terminal_id, merchant_id, stan, transaction_date,
                   '9' || SUBSTRING(mti_class, 2, 2), '9' || SUBSTRING(mti, 2, 3), local_time, 'REVERSAL', processing_code,
                   amount_minor, currency, pan_token, masked_pan, id, 'APPROVED', 'APPROVED', '00', ?, ?
              FROM journal WHERE id = ?
            ON CONFLICT DO NOTHING""";

    private TransitionApplier() {}

    static void apply(Connection c, List<TransitionWrite> writes, Instant now) throws SQLException {
        int[] counts = new int[writes.size()];
        // one JDBC batch per kind (almost always only MOVE); a run holds one write per record, so their order does not matter
        for (TransitionWrite.Kind kind : TransitionWrite.Kind.values()) {
            List<Integer> of = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                if (writes.get(i).kind == kind) {
                    of.add(i);
                }
            }
            if (!of.isEmpty()) {
                int[] these = update(c, sql(kind), of.stream().map(writes::get).toList(), now);
                for (int j = 0; j < these.length; j++) {
                    counts[of.get(j)] = these[j];
                }
            }
        }
        List<SafInserts.Pending> forwards = new ArrayList<>();
        List<UUID> leftSent = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            TransitionWrite w = writes.get(i);
            if (counts[i] > 0) {
                if (w.from == TransactionState.SENT) {
                    leftSent.add(w.id);
                }
                if (w.linked != null) {
                    insertLinked(c, w);
                }
                if (w.kind == TransitionWrite.Kind.MOVE_UNLESS_ANSWERED_TO_REPEAT
                        && (w.from == TransactionState.APPROVED || w.from == TransactionState.STAND_IN_APPROVED)) {
                    insertSwitchReversal(c, w, now);
                }
                w.succeed(new TransitionResult(true, w.to));
                if (w.forward != null) {
                    forwards.add(new SafInserts.Pending(w.id, w.forward));
                }
                continue;
            }
            Optional<TransactionState> current = JournalQueries.stateOf(c, w.id);
            if (current.isPresent()) {
                w.succeed(new TransitionResult(false, current.get()));
            } else {
                w.refuse(new NoSuchJournalRecordException(w.describe() + ": no such journal record"));
            }
        }
        InFlight.remove(c, leftSent);
        SafInserts.insert(c, forwards, now);
    }

    private static String sql(TransitionWrite.Kind kind) {
        return switch (kind) {
            case MOVE -> MOVE;
            case MOVE_UNLESS_ANSWERED_TO_REPEAT -> MOVE_UNLESS_ANSWERED_TO_REPEAT;
            case ANSWER_TO_REPEAT -> ANSWER_TO_REPEAT;
        };
    }

    private static int[] update(Connection c, String sql, List<TransitionWrite> writes, Instant now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(sql)) {
            for (TransitionWrite w : writes) {
                update.setString(1, w.to.name());
                SqlValues.setInstant(update, 2, now);
                update.setObject(3, w.id);
                update.setString(4, w.from.name());
                update.addBatch();
            }
            return update.executeBatch();
        }
    }

    /** {@link #INSERT_SWITCH_REVERSAL} of the record {@code w} moved, in the transaction that moves it. */
    private static void insertSwitchReversal(Connection c, TransitionWrite w, Instant now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_SWITCH_REVERSAL)) {
            insert.setObject(1, JournalIds.next());
            SqlValues.setInstant(insert, 2, now);
            SqlValues.setInstant(insert, 3, now);
            insert.setObject(4, w.id);
            if (insert.executeUpdate() == 0) {
                // its key held already: only a terminal's reversal naming an MTI of version 9 in field 90 can
                // have taken it. The reversal still goes to the issuer; settlement would pay the approval
                LOG.warn("{}: the switch's reversal row could not be journaled (its key is taken); settlement will count"
                        + " the approval as standing", w.describe());
            }
        }
    }

    /**
     * The row that goes with an applied transition. Its key taken (a racing copy of the same
     * request) aborts the whole transaction: the transition must not commit without it. The
     * writer then retries the batch's writes one by one, and only this one fails.
     */
    private static void insertLinked(Connection c, TransitionWrite w) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(JournalRows.INSERT_IF_ABSENT)) {
            JournalRows.bindInsert(insert, w.linked);
            int inserted = insert.executeUpdate();
            if (inserted == 0 && JournalQueries.byId(c, w.linked.id()).isEmpty()) {
                throw new SQLException(w.describe() + ": the linked record's idempotency key is taken", "23505");
            }
            if (inserted == 1) {
                InFlight.add(c, List.of(w.linked));
            }
        }
    }
}
