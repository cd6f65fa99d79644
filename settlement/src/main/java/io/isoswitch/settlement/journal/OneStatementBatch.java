package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.JournalException;
import io.isoswitch.settlement.JournalWriteException;
import io.isoswitch.settlement.SqlFailures;
import io.isoswitch.settlement.db.Transactions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The usual batch on PostgreSQL (new rows and issuer answers, nothing to queue for
 * store-and-forward) as one statement in autocommit: one round trip that is also the commit.
 *
 * <p>The general path ({@link BatchApplier} in a transaction) sends the journal inserts, their
 * {@code journal_in_flight} rows, the outcome updates, the in-flight deletes and the COMMIT as five
 * round trips, each of which waits for PostgreSQL's backend to be scheduled; on a busy machine those
 * waits, not the flush, made up most of a commit, and every write queued behind it waited as
 * long. Here the rows travel as arrays (one per column, as text cast in SQL), and data-modifying
 * CTEs do it all at once:
 *
 * <pre>
 * ins    INSERT INTO journal SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING RETURNING id
 * flight INSERT INTO journal_in_flight  the rows of ins still SENT
 * upd    UPDATE journal ... FROM unnest(arrays) WHERE id = v.id AND state = 'SENT' RETURNING id
 * landed DELETE FROM journal_in_flight  the rows of upd
 * SELECT the ids of ins and of upd      (the implicit COMMIT follows before the answer)
 * </pre>
 *
 * The SQL text is fixed, so PostgreSQL plans it once per connection. What did not land is
 * resolved after the commit, as the general path does it in its transaction: an insert whose
 * idempotency key was taken reads the row that holds it; an answer to a record that moved on is
 * kept as a late answer (its own small transaction, committed before its caller hears).
 */
final class OneStatementBatch {
    private static final HexFormat HEX = HexFormat.of();
    private static final String INSERTED_COLUMNS = """
            id, node_id, business_date, terminal_id, merchant_id, stan, transaction_date, mti_class, mti, local_time,
            transaction_type, processing_code, amount_minor, currency, pan_token, masked_pan, pan_ciphertext,
            data_key_id, issuer_id, switch_stan, switch_rrn, issuer_sent_at, original_id, state, outcome_state, response_code,
            auth_code, response_data, created_at, updated_at""";
    /** The SQL type of each of {@link #INSERTED_COLUMNS}; every value is bound as text and cast. */
    private static final String[] INSERTED_TYPES = {
        "uuid", "text", "date", "text", "text", "text", "date", "text", "text", "timestamp",
        "text", "text", "bigint", "text", "bytea", "text", "bytea",
        "text", "text", "text", "text", "timestamptz", "uuid", "text", "text", "text",
        "text", "bytea", "timestamptz", "timestamptz"};
    private static final int OUTCOME_ARRAYS = 5;
    static final String SQL = buildSql();

    private OneStatementBatch() {}

    /** Whether {@code batch} fits one statement: inserts and answers only, nothing to queue, one answer per record. */
    static boolean fits(List<PendingWrite<?>> batch) {
        Set<UUID> answered = new HashSet<>();
        for (PendingWrite<?> write : batch) {
            switch (write) {
                case InsertWrite insert -> {
                    if (insert.forward != null) {
                        return false;
                    }
                }
                case OutcomeWrite outcome -> {
                    if (outcome.forward != null || !answered.add(outcome.id)) {
                        return false;
                    }
                }
                case TransitionWrite transition -> {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Applies {@code batch} (which {@link #fits}) on {@code c}, in autocommit mode: when this
     * returns, every write's result (or its own failure) is collected and durable. Throws only if
     * the statement failed, which leaves nothing written (or, the connection lost, in doubt).
     */
    static void apply(Connection c, List<PendingWrite<?>> batch, Instant now) throws SQLException {
        List<InsertWrite> inserts = new ArrayList<>();
        List<OutcomeWrite> outcomes = new ArrayList<>();
        for (PendingWrite<?> write : batch) {
            if (write instanceof InsertWrite insert) {
                inserts.add(insert);
            } else {
                outcomes.add((OutcomeWrite) write);
            }
        }
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true);
        }
        Set<UUID> inserted = new HashSet<>();
        Set<UUID> applied = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement(SQL)) {
            int p = bindInserts(c, s, inserts);
            bindOutcomes(c, s, p, outcomes, now);
            try (ResultSet row = s.executeQuery()) {
                while (row.next()) {
                    (row.getBoolean(1) ? inserted : applied).add(row.getObject(2, UUID.class));
                }
            }
        }
        for (InsertWrite write : inserts) {
            if (inserted.contains(write.entry.id())) {
                write.succeed(new SentResult.Recorded(write.entry));
            } else {
                afterCommit(write, () -> resolveDuplicate(c, write));
            }
        }
        List<OutcomeWrite> late = new ArrayList<>();
        for (OutcomeWrite write : outcomes) {
            if (applied.contains(write.id)) {
                write.succeed(new TransitionResult(true, write.outcome.state()));
            } else {
                late.add(write);
            }
        }
        if (!late.isEmpty()) {
            try {
                keepLate(c, late, now);
            } catch (SQLException e) {
                JournalException failure = SqlFailures.translate(e, "journal late answers (" + late.size() + ")");
                late.forEach(w -> w.refuse(failure));
            }
        }
    }

    /**
     * Work after the statement committed fails only its own write: the batch must not be applied
     * again (its inserts would find themselves as duplicates).
     */
    private static void afterCommit(PendingWrite<?> write, SqlWork work) {
        try {
            work.run();
        } catch (SQLException e) {
            write.refuse(SqlFailures.translate(e, write.describe()));
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }

    private static int bindInserts(Connection c, PreparedStatement s, List<InsertWrite> inserts) throws SQLException {
        int rows = inserts.size();
        String[][] columns = new String[INSERTED_TYPES.length][rows];
        for (int i = 0; i < rows; i++) {
            JournalEntry e = inserts.get(i).entry;
            JournalRequest r = e.request();
            IssuerLeg leg = r.issuer();
            Outcome o = e.outcome();
            String[] values = {
                e.id().toString(), r.nodeId(), r.businessDate().toString(), r.terminalId(), r.merchantId(), r.stan(),
                r.transactionDate().toString(), IdempotencyKey.mtiClassOf(r.mti()), r.mti(), r.localTime().toString(),
                r.transactionType(), r.processingCode(), Long.toString(r.amountMinor()), r.currency(),
                bytea(r.card().panToken()), r.card().maskedPan(), bytea(r.card().panCiphertext()), r.card().dataKeyId(),
                leg == null ? null : leg.issuerId(), leg == null ? null : leg.switchStan(), leg == null ? null : leg.switchRrn(),
                leg == null || leg.sentAt() == null ? null : leg.sentAt().toString(),
                r.originalId() == null ? null : r.originalId().toString(), e.state().name(),
                o == null ? null : o.state().name(), o == null ? null : o.responseCode(), o == null ? null : o.authCode(),
                o == null ? null : bytea(o.responseData()), e.createdAt().toString(), e.updatedAt().toString()};
            for (int column = 0; column < values.length; column++) {
                columns[column][i] = values[column];
            }
        }
        for (int column = 0; column < columns.length; column++) {
            s.setArray(column + 1, text(c, columns[column]));
        }
        return columns.length + 1;
    }

    private static void bindOutcomes(Connection c, PreparedStatement s, int first, List<OutcomeWrite> outcomes, Instant now)
            throws SQLException {
        int rows = outcomes.size();
        String[][] columns = new String[OUTCOME_ARRAYS][rows];
        for (int i = 0; i < rows; i++) {
            OutcomeWrite w = outcomes.get(i);
            columns[0][i] = w.id.toString();
            columns[1][i] = w.outcome.state().name();
            columns[2][i] = w.outcome.responseCode();
            columns[3][i] = w.outcome.authCode();
            columns[4][i] = bytea(w.outcome.responseData());
        }
        s.setString(first, now.toString());
        for (int column = 0; column < OUTCOME_ARRAYS; column++) {
            s.setArray(first + 1 + column, text(c, columns[column]));
        }
    }

    private static Array text(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }

    /** bytea's hex input form, which the cast from text reads. */
    private static String bytea(byte[] value) {
        return value == null ? null : "\\x" + HEX.formatHex(value);
    }

    private static void resolveDuplicate(Connection c, InsertWrite write) throws SQLException {
        Optional<JournalEntry> existing = JournalQueries.byKey(c, write.entry.key());
        if (existing.isPresent()) {
            write.succeed(new SentResult.Duplicate(existing.get()));
        } else {
            write.refuse(new JournalWriteException(write.describe() + ": conflict reported, but no row holds the key", null));
        }
    }

    /** Answers that found their record moved on: kept as late answers, committed before their callers hear. */
    private static void keepLate(Connection c, List<OutcomeWrite> late, Instant now) throws SQLException {
        c.setAutoCommit(false);
        try {
            OutcomeApplier.keepLate(c, late, now);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            Transactions.rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static String buildSql() {
        StringBuilder insertArrays = new StringBuilder();
        for (int i = 0; i < INSERTED_TYPES.length; i++) {
            insertArrays.append(i == 0 ? "" : ", ").append("?::text[]::").append(INSERTED_TYPES[i]).append("[]");
        }
        return "WITH ins AS (INSERT INTO journal (" + INSERTED_COLUMNS + ")\n"
                + "  SELECT * FROM unnest(" + insertArrays + ")\n"
                + "  ON CONFLICT DO NOTHING RETURNING id, node_id, state),\n"
                + "flight AS (INSERT INTO journal_in_flight (id, node_id) SELECT id, node_id FROM ins WHERE state = 'SENT'),\n"
                + "upd AS (UPDATE journal j SET state = v.state, outcome_state = v.state, response_code = v.response_code,\n"
                + "         auth_code = v.auth_code, response_data = v.response_data, updated_at = ?::timestamptz\n"
                + "    FROM unnest(?::text[]::uuid[], ?::text[], ?::text[], ?::text[], ?::text[]::bytea[])\n"
                + "         AS v(id, state, response_code, auth_code, response_data)\n"
                + "   WHERE j.id = v.id AND j.state = 'SENT' RETURNING j.id),\n"
                + "landed AS (DELETE FROM journal_in_flight f USING upd WHERE f.id = upd.id)\n"
                + "SELECT true, id FROM ins UNION ALL SELECT false, id FROM upd";
    }
}
