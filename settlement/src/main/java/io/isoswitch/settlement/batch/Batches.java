package io.isoswitch.settlement.batch;

import io.isoswitch.settlement.Checks;
import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;

/**
 * Terminal batches on the journal's database, each call one transaction on its read executor:
 *
 * <pre>
 * settle(terminal, batch, currency, totals)
 *   closed before?             -> the same answer again (repeat)
 *   journal totals == totals   -> close: open rows get batch_id, the number moves on   BALANCED
 *   otherwise                  -> batch stays open, terminal's claim kept              OUT_OF_BALANCE
 * upload(terminal, batch, lines)           lines kept until the closing upload
 * closeAfterUpload(terminal, batch, count) reconcile line by line, record each difference,
 *                                          close with the host's figures         CLOSED_AFTER_UPLOAD
 * </pre>
 *
 * <p>Every call first locks the terminal's {@code terminal_batch} row, so two nodes closing the
 * same terminal's batch take turns; the rows of a batch are marked and summed by set-based
 * statements, never read into Java. Only the reconciliation of an upload reads the batch's counted
 * rows and its lines, once each, to pair them ({@link UploadReconciliation}): a STAN does not name
 * one transaction.
 */
public final class Batches {
    /** The batch a terminal starts on (cup-pos.md 7.2). */
    public static final int FIRST_BATCH = 1;
    static final int LAST_BATCH = 999_999;

    private final BlockingSqlExecutor executor;
    private final Clock clock;

    public Batches(JournalDatabase database, Clock clock) {
        this.executor = database.executor();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The batch number after {@code batchNumber}: 999999 wraps to 1. */
    public static int next(int batchNumber) {
        return batchNumber % LAST_BATCH + 1;
    }

    /**
     * The number of the terminal's open batch ({@link #FIRST_BATCH} for a terminal never settled),
     * never one it closed already: a row an earlier version left on a closed number is read as
     * the first number after it not closed ({@link #notClosedFrom}), which the next close then
     * moves on from.
     */
    public CompletableFuture<Integer> openBatchNumber(String terminalId) {
        Checks.text(terminalId, 16, "terminalId");
        return executor.inTransaction("batch number", c -> {
            int stored;
            try (PreparedStatement s = c.prepareStatement(BatchSql.BATCH_NUMBER)) {
                s.setString(1, terminalId);
                try (ResultSet row = s.executeQuery()) {
                    stored = row.next() ? row.getInt(1) : FIRST_BATCH;
                }
            }
            return notClosedFrom(c, terminalId, stored);
        });
    }

    /**
     * A settlement (0500): closes batch {@code batchNumber} of {@code terminalId} in {@code currency}
     * if the journal's totals equal the terminal's, else keeps it open for an upload. A batch closed
     * before is answered as that close when the terminal claims what it claimed then, and refused
     * ({@link SettleResult#numberInUse()}) when it claims other totals.
     */
    public CompletableFuture<SettleResult> settle(String terminalId, int batchNumber, String currency, BatchTotals terminal) {
        return settle(terminalId, batchNumber, currency, terminal, BatchTotals::equals);
    }

    /**
     * As {@link #settle(String, int, String, BatchTotals)}, with the dialect's idea of agreement
     * ({@code agree.test(host, terminal)}): a field that carries counts in three digits cannot tell
     * 1 from 1001.
     */
    public CompletableFuture<SettleResult> settle(String terminalId, int batchNumber, String currency, BatchTotals terminal,
                                                  BiPredicate<BatchTotals, BatchTotals> agree) {
        checkBatch(terminalId, batchNumber, currency);
        Objects.requireNonNull(terminal, "terminal");
        Objects.requireNonNull(agree, "agree");
        return executor.inTransaction("batch settle", c -> {
            Instant now = SqlValues.stored(clock.instant());
            TerminalRow row = lockTerminal(c, terminalId, batchNumber, now);
            Optional<ClosedBatch> before = BatchRows.findClose(c, terminalId, batchNumber, currency);
            if (before.isPresent()) {
                // the same claim again is a repeat (its answer was lost); another claim under a closed
                // number is another batch, which that close never compared: refused, nothing closed
                return agree.test(before.get().terminal(), terminal) ? repeat(before.get(), row)
                        : new SettleResult(before.get().outcome(), batchNumber, before.get().host(), row.batchNumber(), false, true);
            }
            Savepoint attempt = c.setSavepoint();
            UUID id = UUID.randomUUID();
            BatchRows.insertClose(c, id, terminalId, batchNumber, currency, BatchOutcome.BALANCED, terminal, terminal, now);
            BatchRows.markOpenRows(c, id, terminalId, currency);
            BatchTotals host = BatchRows.totals(c, terminalId, id);
            if (agree.test(host, terminal)) {
                BatchRows.hostFigures(c, id, host);
                int open = openNext(c, terminalId, batchNumber, now);
                return new SettleResult(BatchOutcome.BALANCED, batchNumber, host, open, false);
            }
            c.rollback(attempt);
            BatchRows.awaitUpload(c, terminalId, batchNumber, currency, terminal, now);
            return new SettleResult(BatchOutcome.OUT_OF_BALANCE, batchNumber, host, row.batchNumber(), false);
        });
    }

    /**
     * A batch upload detail (0320): keeps {@code lines}. A line identical to one received already
     * (same STAN, card and amount: a 0320 sent again) is kept once; two lines that share a STAN and
     * differ otherwise are two transactions, both kept.
     */
    public CompletableFuture<UploadResult> upload(String terminalId, int batchNumber, List<UploadLine> lines) {
        checkBatch(terminalId, batchNumber, "000");
        List<UploadLine> copy = List.copyOf(lines);
        return executor.inTransaction("batch upload", c -> {
            Instant now = SqlValues.stored(clock.instant());
            TerminalRow row = lockTerminal(c, terminalId, batchNumber, now);
            if (row.awaitsUpload(batchNumber)) {
                BatchRows.insertLines(c, terminalId, batchNumber, copy, now);
                return UploadResult.ACCEPTED;
            }
            return BatchRows.findAnyClose(c, terminalId, batchNumber).isPresent() ? UploadResult.ALREADY_CLOSED
                    : UploadResult.NOT_EXPECTED;
        });
    }

    /**
     * The closing upload (0320, "upload end"): reconciles the uploaded lines with the journal line by
     * line, records every difference, and closes the batch with the journal's (the host's) totals.
     * Empty when no out-of-balance settlement of this batch awaits it and it was never closed.
     *
     * @param declaredCount the number of lines the terminal says it uploaded
     */
    public CompletableFuture<Optional<SettleResult>> closeAfterUpload(String terminalId, int batchNumber, long declaredCount) {
        checkBatch(terminalId, batchNumber, "000");
        return executor.inTransaction("batch close after upload", c -> {
            Instant now = SqlValues.stored(clock.instant());
            TerminalRow row = lockTerminal(c, terminalId, batchNumber, now);
            if (!row.awaitsUpload(batchNumber)) {
                return BatchRows.findAnyClose(c, terminalId, batchNumber).map(closed -> repeat(closed, row));
            }
            UUID id = UUID.randomUUID();
            BatchRows.insertClose(c, id, terminalId, batchNumber, row.pendingCurrency(), BatchOutcome.CLOSED_AFTER_UPLOAD,
                    row.claimed(), BatchTotals.ZERO, now);
            BatchRows.markOpenRows(c, id, terminalId, row.pendingCurrency());
            BatchTotals host = BatchRows.totals(c, terminalId, id);
            BatchRows.hostFigures(c, id, host);
            BatchRows.reconcile(c, id, terminalId, batchNumber, declaredCount);
            int open = openNext(c, terminalId, batchNumber, now);
            return Optional.of(new SettleResult(BatchOutcome.CLOSED_AFTER_UPLOAD, batchNumber, host, open, false));
        });
    }

    /** The closed batch {@code batchNumber} of {@code terminalId} in {@code currency}, if closed. */
    public CompletableFuture<Optional<ClosedBatch>> closed(String terminalId, int batchNumber, String currency) {
        checkBatch(terminalId, batchNumber, currency);
        return executor.inTransaction("batch find close", c -> BatchRows.findClose(c, terminalId, batchNumber, currency));
    }

    /** The differences recorded when batch {@code batchId} closed after an upload. */
    public CompletableFuture<List<Difference>> differences(UUID batchId) {
        Objects.requireNonNull(batchId, "batchId");
        return executor.inTransaction("batch differences", c -> BatchRows.differences(c, batchId));
    }

    /** True when the journal record {@code journalId} belongs to a closed batch. */
    public CompletableFuture<Boolean> isClosed(UUID journalId) {
        Objects.requireNonNull(journalId, "journalId");
        return executor.inTransaction("batch is closed", c -> {
            try (PreparedStatement s = c.prepareStatement(BatchSql.IS_CLOSED)) {
                s.setObject(1, journalId);
                try (ResultSet row = s.executeQuery()) {
                    return row.next() && row.getObject(1) != null;
                }
            }
        });
    }

    /**
     * The purchase, completion or refund of {@code terminalId} whose RRN (field 37 of its answer) is
     * {@code rrn}, newest first: what a void names.
     */
    public CompletableFuture<Optional<OriginalStatus>> findOriginal(String terminalId, String rrn) {
        Checks.text(terminalId, 16, "terminalId");
        Checks.text(rrn, 12, "rrn");
        return executor.inTransaction("batch find original", c -> {
            try (PreparedStatement s = c.prepareStatement(BatchSql.ORIGINAL_BY_RRN)) {
                s.setString(1, terminalId);
                s.setString(2, rrn);
                s.setMaxRows(1);
                try (ResultSet row = s.executeQuery()) {
                    return row.next() ? Optional.of(new OriginalStatus(row.getObject(1, UUID.class), row.getObject(2) != null))
                            : Optional.<OriginalStatus>empty();
                }
            }
        });
    }

    private static SettleResult repeat(ClosedBatch closed, TerminalRow row) {
        return new SettleResult(closed.outcome(), closed.batchNumber(), closed.host(), row.batchNumber(), true);
    }

    /**
     * Locks the terminal's row, creating it on first sight with the terminal's own batch number (a
     * terminal that signed on before the switch kept numbers, or at another host, keeps its own).
     */
    private static TerminalRow lockTerminal(Connection c, String terminalId, int batchNumber, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BatchSql.ENSURE_TERMINAL)) {
            s.setString(1, terminalId);
            s.setInt(2, batchNumber);
            SqlValues.setInstant(s, 3, now);
            s.executeUpdate();
        }
        return TerminalRow.lock(c, terminalId);
    }

    /** Opens the batch after {@code closedBatch} ({@link #notClosedFrom}); returns its number. */
    private static int openNext(Connection c, String terminalId, int closedBatch, Instant now) throws SQLException {
        int open = notClosedFrom(c, terminalId, next(closedBatch));
        try (PreparedStatement s = c.prepareStatement(BatchSql.OPEN_NEXT)) {
            s.setInt(1, open);
            SqlValues.setInstant(s, 2, now);
            s.setString(3, terminalId);
            s.executeUpdate();
        }
        return open;
    }

    /**
     * The first number from {@code start} on, wrapping after {@link #LAST_BATCH} as the field does,
     * that {@code terminalId} never closed (in any currency). A close is final: a 0500 under a
     * closed number with other totals is refused as a reused number, so a terminal handed one could
     * never settle again. Closed numbers above the open one arise when a terminal settles a lower
     * number the host never opened (its first settlements adopt the terminal's own numbers): after
     * closing 2 and then 1, the next open batch is 3, not 2. Reads the terminal's closed numbers from
     * {@code start} up (usually none) and, only if they run to the end, those from 1.
     */
    static int notClosedFrom(Connection c, String terminalId, int start) throws SQLException {
        int candidate = firstGap(c, terminalId, start, LAST_BATCH);
        if (candidate <= LAST_BATCH) {
            return candidate;
        }
        candidate = firstGap(c, terminalId, FIRST_BATCH, start - 1);
        if (candidate < start) {
            return candidate;
        }
        throw new IllegalStateException("terminal " + terminalId + " has closed every batch number 1.." + LAST_BATCH);
    }

    /** The first number in {@code from..to} the terminal never closed; {@code to + 1} if it closed them all. */
    private static int firstGap(Connection c, String terminalId, int from, int to) throws SQLException {
        int candidate = from;
        try (PreparedStatement s = c.prepareStatement(BatchSql.CLOSED_NUMBERS_FROM)) {
            s.setString(1, terminalId);
            s.setInt(2, from);
            s.setInt(3, to);
            try (ResultSet row = s.executeQuery()) {
                while (row.next() && row.getInt(1) == candidate) {
                    candidate++;
                }
            }
        }
        return candidate;
    }

    private static void checkBatch(String terminalId, int batchNumber, String currency) {
        Checks.text(terminalId, 16, "terminalId");
        if (batchNumber < FIRST_BATCH || batchNumber > LAST_BATCH) {
            throw new IllegalArgumentException("batchNumber: expected 1..999999, found " + batchNumber);
        }
        Checks.digits(currency, 3, "currency");
    }
}
