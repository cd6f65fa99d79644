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
 * Applies issuer answers as one JDBC batch, each only to a record still SENT. An answer to a
 * record that has moved on (timed out, reversal queued) is kept as a late answer and reported
 * as not applied, so it never reaches the terminal as a second outcome.
 */
final class OutcomeApplier {
    private static final String APPLY = """
            UPDATE journal SET state = ?, outcome_state = ?, response_code = ?, auth_code = ?, response_data = ?,
                   updated_at = ?
             WHERE id = ? AND state = 'SENT'""";
    private static final String KEEP_LATE = """
            UPDATE journal SET late_response_code = ?, late_auth_code = ?, late_at = ?, updated_at = ? WHERE id = ?""";

    private OutcomeApplier() {}

    static void apply(Connection c, List<OutcomeWrite> writes, Instant now) throws SQLException {
        int[] counts;
        try (PreparedStatement update = c.prepareStatement(APPLY)) {
            for (OutcomeWrite w : writes) {
                update.setString(1, w.state.name());
                update.setString(2, w.outcome.state().name());
                update.setString(3, w.outcome.responseCode());
                SqlValues.setString(update, 4, w.outcome.authCode());
                SqlValues.setBytes(update, 5, w.outcome.responseData());
                SqlValues.setInstant(update, 6, now);
                update.setObject(7, w.id);
                update.addBatch();
            }
            counts = update.executeBatch();
        }
        List<OutcomeWrite> late = new ArrayList<>();
        List<SafInserts.Pending> forwards = new ArrayList<>();
        List<UUID> answered = new ArrayList<>();
        List<JournalRequest> inStandIn = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            OutcomeWrite w = writes.get(i);
            if (counts[i] > 0) {
                answered.add(w.id);
                if (w.state == TransactionState.STAND_IN_APPROVED && w.request != null) {
                    inStandIn.add(w.request);
                }
                w.succeed(new TransitionResult(true, w.state));
                if (w.forward != null) {
                    forwards.add(new SafInserts.Pending(w.id, w.forward));
                }
            } else {
                late.add(w);
            }
        }
        InFlight.remove(c, answered);
        SafInserts.insert(c, forwards, now);
        HeldAllowances.approved(c, inStandIn);
        keepLate(c, late, now);
    }

    private static void keepLate(Connection c, List<OutcomeWrite> late, Instant now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(KEEP_LATE)) {
            for (OutcomeWrite w : late) {
                update.setString(1, w.outcome.responseCode());
                SqlValues.setString(update, 2, w.outcome.authCode());
                SqlValues.setInstant(update, 3, now);
                SqlValues.setInstant(update, 4, now);
                update.setObject(5, w.id);
                Optional<TransactionState> state = update.executeUpdate() > 0
                        ? JournalQueries.stateOf(c, w.id) : Optional.empty();
                if (state.isPresent()) {
                    w.succeed(new TransitionResult(false, state.get()));
                } else {
                    w.refuse(new NoSuchJournalRecordException(w.describe() + ": no such journal record"));
                }
            }
        }
    }
}
