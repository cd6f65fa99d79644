package io.isoswitch.settlement.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.TestDatabase;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.db.Transactions;
import io.isoswitch.settlement.saf.SafRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The one-statement batch on PostgreSQL writes exactly what the statement-by-statement path
 * writes: the same batch applied both ways, each in a schema of its own, leaves the same journal
 * and in-flight rows and gives every write the same result (new rows, repeats of a taken key,
 * answers applied, answers kept late).
 */
class OneStatementBatchTest {
    private static final Instant NOW = SqlValues.stored(Instant.parse("2026-11-26T12:00:00.654321Z"));
    private static final AtomicInteger STANS = new AtomicInteger();
    private static TestDatabase general;
    private static TestDatabase oneStatement;

    @BeforeAll
    static void open() {
        general = TestDatabase.open(Backend.POSTGRESQL);
        oneStatement = TestDatabase.open(Backend.POSTGRESQL);
    }

    @AfterAll
    static void close() throws SQLException {
        general.close();
        oneStatement.close();
    }

    @Test
    void writesWhatTheGeneralPathWrites() throws SQLException {
        String terminal = Requests.newTerminalId();
        // rows already there: two still SENT, one already timed out
        JournalEntry waiting = sent(terminal, "bank-a");
        JournalEntry alsoWaiting = sent(terminal, "bank-b");
        JournalEntry timedOut = sent(terminal, "bank-a");
        for (TestDatabase db : List.of(general, oneStatement)) {
            generalPath(db, List.of(insert(waiting), insert(alsoWaiting), insert(timedOut)));
            generalPath(db, List.of(new TransitionWrite(timedOut.id(), TransactionState.SENT, TransactionState.TIMED_OUT, null)));
        }
        JournalEntry fresh = sent(terminal, "bank-a");
        JournalEntry declinedHere = resolved(terminal, Outcome.declined("61"));
        JournalEntry repeat = new JournalEntry(UUID.randomUUID(), waiting.request(), TransactionState.SENT, null, null, NOW, NOW);
        UUID unknown = UUID.randomUUID();
        List<Object> results = new ArrayList<>();
        for (TestDatabase db : List.of(general, oneStatement)) {
            List<PendingWrite<?>> batch = List.of(insert(fresh), insert(declinedHere), insert(repeat),
                    new OutcomeWrite(waiting.id(), new Outcome(TransactionState.APPROVED, "00", "A1B2C3", new byte[] {9, 8, 7}), null),
                    new OutcomeWrite(alsoWaiting.id(), Outcome.declined("51"), null),
                    new OutcomeWrite(timedOut.id(), Outcome.approved("LATE01"), null),
                    new OutcomeWrite(unknown, Outcome.declined("05"), null));
            assertThat(OneStatementBatch.fits(batch)).isTrue();
            results.add(apply(db, batch));
        }
        assertThat(results.get(1)).isEqualTo(results.get(0));
        assertThat(results.get(0).toString()).contains("Duplicate", "applied=false", "no such journal record");
        assertThat(tables(oneStatement)).isEqualTo(tables(general));
    }

    @Test
    void newRowsOfEveryShapeAreStoredAlike() {
        qt().withExamples(30).forAll(entries()).checkAssert(entries -> {
            try {
                List<Object> results = new ArrayList<>();
                for (TestDatabase db : List.of(general, oneStatement)) {
                    List<PendingWrite<?>> batch = new ArrayList<>();
                    entries.forEach(e -> batch.add(insert(e)));
                    results.add(apply(db, batch));
                }
                assertThat(results.get(1)).isEqualTo(results.get(0));
                assertThat(tables(oneStatement)).isEqualTo(tables(general));
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void leavesBatchesWithSomethingToQueueOrToMoveToTheGeneralPath() {
        JournalEntry entry = sent(Requests.newTerminalId(), "bank-a");
        SafRequest advice = SafRequest.reversal("bank-a", "68", 100, "840");
        assertThat(OneStatementBatch.fits(List.of(new InsertWrite(entry, advice)))).isFalse();
        assertThat(OneStatementBatch.fits(List.of(new OutcomeWrite(entry.id(), Outcome.declined("05"), advice)))).isFalse();
        assertThat(OneStatementBatch.fits(List.of(
                new TransitionWrite(entry.id(), TransactionState.SENT, TransactionState.TIMED_OUT, null)))).isFalse();
        // two answers to one record must apply in order, one after the other
        assertThat(OneStatementBatch.fits(List.of(new OutcomeWrite(entry.id(), Outcome.declined("05"), null),
                new OutcomeWrite(entry.id(), Outcome.approved("A"), null)))).isFalse();
    }

    /** Rows of every shape: with or without issuer leg, ciphertext, outcome, auth code, response data. */
    private static Gen<List<JournalEntry>> entries() {
        Gen<JournalEntry> entry = SourceDSL.booleans().all().zip(SourceDSL.booleans().all(), SourceDSL.integers().between(0, 3),
                (withLeg, withCipher, outcomeShape) -> {
                    JournalRequest r = Requests.purchase("node-1", Requests.newTerminalId(), Requests.stan(STANS.incrementAndGet()),
                            STANS.get() * 7L, withLeg ? "bank-a" : null);
                    if (!withCipher) {
                        r = new JournalRequest(r.nodeId(), r.businessDate(), r.terminalId(), r.merchantId(), r.stan(),
                                r.transactionDate(), r.mti(), r.localTime(), r.transactionType(), r.processingCode(),
                                r.amountMinor(), r.currency(), CardReference.tokenOnly(r.card().panToken(), r.card().maskedPan()),
                                r.issuer(), r.originalId());
                    }
                    Outcome outcome = switch (outcomeShape) {
                        case 0 -> null;
                        case 1 -> Outcome.declined("05");
                        case 2 -> Outcome.approved("123456");
                        default -> new Outcome(TransactionState.APPROVED, "00", null, new byte[] {0, 1, (byte) 0xff});
                    };
                    TransactionState state = outcome == null ? TransactionState.SENT : outcome.state();
                    return new JournalEntry(UUID.randomUUID(), r, state, outcome, null, NOW, NOW);
                });
        return SourceDSL.lists().of(entry).ofSizeBetween(1, 5);
    }

    private static JournalEntry sent(String terminal, String issuer) {
        return new JournalEntry(UUID.randomUUID(), Requests.purchase("node-1", terminal, Requests.stan(STANS.incrementAndGet()),
                1_234, issuer), TransactionState.SENT, null, null, NOW, NOW);
    }

    private static JournalEntry resolved(String terminal, Outcome outcome) {
        return new JournalEntry(UUID.randomUUID(), Requests.purchase("node-1", terminal, Requests.stan(STANS.incrementAndGet()),
                99, null), outcome.state(), outcome, null, NOW, NOW);
    }

    private static InsertWrite insert(JournalEntry entry) {
        return new InsertWrite(entry, null);
    }

    private static void generalPath(TestDatabase db, List<PendingWrite<?>> batch) throws SQLException {
        Transactions.inTransaction(db.database().dataSource(), c -> {
            BatchApplier.apply(c, batch, NOW);
            return null;
        });
    }

    /** Applies {@code batch} the way {@code db} stands for; returns each write's result or failure, described. */
    private static List<String> apply(TestDatabase db, List<PendingWrite<?>> batch) throws SQLException {
        if (db == general) {
            generalPath(db, batch);
        } else {
            try (Connection c = db.database().dataSource().getConnection()) {
                OneStatementBatch.apply(c, batch, NOW);
            }
        }
        List<String> results = new ArrayList<>();
        for (PendingWrite<?> write : batch) {
            write.completeCommitted();
            results.add(write.future().handle((value, failure) -> failure != null ? "failed: " + failure.getMessage()
                    : value instanceof SentResult.Duplicate d ? "Duplicate of " + d.entry().id()
                    : value instanceof SentResult.Recorded r ? "Recorded " + r.entry().id() : String.valueOf(value)).join());
        }
        return results;
    }

    /** Every journal and in-flight row, every column but the settlement sequence, as text. */
    private static List<String> tables(TestDatabase db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.database().dataSource().getConnection()) {
            rows.addAll(rows(c, "SELECT " + JournalRows.COLUMNS + ", settlement_date, batch_id FROM journal ORDER BY id"));
            rows.addAll(rows(c, "SELECT id, node_id FROM journal_in_flight ORDER BY id"));
        }
        return rows;
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet row = s.executeQuery()) {
            int columns = row.getMetaData().getColumnCount();
            while (row.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    Object value = row.getObject(i);
                    line.append(row.getMetaData().getColumnName(i)).append('=')
                            .append(value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value).append(' ');
                }
                rows.add(line.toString());
            }
        }
        return rows;
    }
}
