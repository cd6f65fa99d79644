package io.isoswitch.settlement.journal;

import io.isoswitch.settlement.Checks;
import io.isoswitch.settlement.db.BlockingSqlExecutor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The read side of the journal, on the database's read executor: repeats, originals of
 * reversals, unanswered records. Futures complete on that executor.
 */
public final class JournalReader {
    /**
     * Rows that are never an original: terminals' reversals (0400, 0420) and the switch's own
     * reversals of approvals answered 96 (MTI version 9, see {@code TransitionApplier}), which carry
     * their original's terminal, STAN and date.
     */
    private static final String NOT_A_REVERSAL = "mti_class NOT IN ('040', '042') AND mti_class NOT LIKE '9%'";
    private static final String ORIGINAL = "SELECT " + JournalRows.COLUMNS + """
             FROM journal
            WHERE terminal_id = ? AND stan = ? AND transaction_date = ? AND amount_minor = ?
              AND %s
            ORDER BY CASE WHEN mti_class = ? THEN 0 ELSE 1 END, created_at DESC""".formatted(NOT_A_REVERSAL);
    private static final String ORIGINAL_OF_CLASS = "SELECT " + JournalRows.COLUMNS + """
             FROM journal
            WHERE terminal_id = ? AND stan = ? AND transaction_date = ? AND amount_minor = ? AND mti_class = ?
            ORDER BY created_at DESC""";
    private static final String BY_RRN = "SELECT " + JournalRows.COLUMNS + """
             FROM journal
            WHERE terminal_id = ? AND switch_rrn = ? AND %s
            ORDER BY created_at DESC""".formatted(NOT_A_REVERSAL);
    private static final String BY_STAN = "SELECT " + JournalRows.COLUMNS + """
             FROM journal
            WHERE terminal_id = ? AND stan = ? AND transaction_date = ? AND %s
            ORDER BY created_at DESC""".formatted(NOT_A_REVERSAL);
    private static final String EARLIER_REPEAT = "SELECT " + JournalRows.COLUMNS + """
             FROM journal
            WHERE terminal_id = ? AND stan = ? AND transaction_date >= ? AND transaction_date < ? AND mti_class = ?
            ORDER BY transaction_date DESC, created_at DESC""";
    private static final String LINKED = "SELECT " + JournalRows.COLUMNS
            + " FROM journal WHERE original_id = ? ORDER BY created_at, id";
    private static final String UNANSWERED = "SELECT " + JournalRows.COLUMNS
            + " FROM journal WHERE " + InFlight.OF_NODE + " AND created_at < ? ORDER BY created_at, settle_seq";

    private static final String BY_BUSINESS_DATE = "SELECT " + JournalRows.COLUMNS
            + " FROM journal WHERE business_date = ? ORDER BY created_at, id";

    /** More records under one STAN on one day than a terminal can sensibly have made. */
    private static final int MAX_SAME_STAN = 16;

    private final BlockingSqlExecutor executor;

    public JournalReader(JournalDatabase database) {
        this.executor = database.executor();
    }

    /** The record holding {@code key}, if any: a repeat is answered from it. */
    public CompletableFuture<Optional<JournalEntry>> findByKey(IdempotencyKey key) {
        return executor.inTransaction("journal find by key", c -> JournalQueries.byKey(c, key));
    }

    /**
     * The record holding {@code key} on an earlier date, from {@code from} on (the newest date
     * first): for a request keyed by the date it arrived on (it names none), a repeat of it sent
     * after the cutover is keyed by the next date and its original is found here. One range scan of
     * the idempotency key's own index (terminal, STAN, date).
     */
    public CompletableFuture<Optional<JournalEntry>> findByKeyOnEarlierDates(IdempotencyKey key, LocalDate from) {
        if (!from.isBefore(key.transactionDate())) {
            throw new IllegalArgumentException("from: expected a date before " + key.transactionDate() + ", found " + from);
        }
        return executor.inTransaction("journal find by key on earlier dates", c -> {
            try (PreparedStatement s = c.prepareStatement(EARLIER_REPEAT)) {
                s.setString(1, key.terminalId());
                s.setString(2, key.stan());
                s.setObject(3, from);
                s.setObject(4, key.transactionDate());
                s.setString(5, key.mtiClass());
                s.setMaxRows(1);
                return list(s).stream().findFirst();
            }
        });
    }

    public CompletableFuture<Optional<JournalEntry>> findById(UUID id) {
        return executor.inTransaction("journal find by id", c -> JournalQueries.byId(c, id));
    }

    /**
     * The original a terminal's reversal refers to: same terminal, STAN, transaction date and
     * amount, not itself a reversal; the newest if several match.
     */
    public CompletableFuture<Optional<JournalEntry>> findOriginal(String terminalId, String stan, LocalDate transactionDate,
                                                                  long amountMinor) {
        return findOriginal(terminalId, stan, transactionDate, amountMinor, null);
    }

    /**
     * As {@link #findOriginal(String, String, LocalDate, long)}, preferring the message class the
     * reversal names ({@code mtiClass}, e.g. {@code "020"}; null: none): the idempotency key holds
     * the class, so one STAN can carry a purchase and a pre-authorization, and reversing the other
     * one would leave the sale its terminal cancelled debited. A record of another class is still
     * found when none of that class matches (a terminal that names every original 0200).
     */
    public CompletableFuture<Optional<JournalEntry>> findOriginal(String terminalId, String stan, LocalDate transactionDate,
                                                                  long amountMinor, String mtiClass) {
        return findFirstOriginal("journal find original", ORIGINAL, terminalId, stan, transactionDate, amountMinor, mtiClass);
    }

    /**
     * As {@link #findOriginal(String, String, LocalDate, long, String)}, of message class
     * {@code mtiClass} only: a reversal that names its original's class looks for that class on
     * every date the original may be journaled under before it takes another class on any of them.
     */
    public CompletableFuture<Optional<JournalEntry>> findOriginalOfClass(String terminalId, String stan, LocalDate transactionDate,
                                                                         long amountMinor, String mtiClass) {
        Checks.digits(mtiClass, 3, "mtiClass");
        return findFirstOriginal("journal find original of class", ORIGINAL_OF_CLASS, terminalId, stan, transactionDate,
                amountMinor, mtiClass);
    }

    /** The first row of an original look-up ({@code sql} takes terminal, STAN, date, amount and class, in that order). */
    private CompletableFuture<Optional<JournalEntry>> findFirstOriginal(String operation, String sql, String terminalId, String stan,
                                                                        LocalDate transactionDate, long amountMinor, String mtiClass) {
        Checks.text(terminalId, 16, "terminalId");
        Checks.digits(stan, 6, "stan");
        return executor.inTransaction(operation, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, terminalId);
                s.setString(2, stan);
                s.setObject(3, transactionDate);
                s.setLong(4, amountMinor);
                s.setString(5, mtiClass);
                s.setMaxRows(1);
                return list(s).stream().findFirst();
            }
        });
    }

    /**
     * The record a void, refund or completion names: the terminal's own transaction whose answer
     * carried {@code switchRrn} (field 37), not a reversal; the newest if several match.
     */
    public CompletableFuture<Optional<JournalEntry>> findByRrn(String terminalId, String switchRrn) {
        Checks.text(terminalId, 16, "terminalId");
        Checks.text(switchRrn, 12, "switchRrn");
        return executor.inTransaction("journal find by rrn", c -> {
            try (PreparedStatement s = c.prepareStatement(BY_RRN)) {
                s.setString(1, terminalId);
                s.setString(2, switchRrn);
                s.setMaxRows(1);
                return list(s).stream().findFirst();
            }
        });
    }

    /**
     * The records a UnionPay void, refund or completion may name by its original data (field 61: the
     * terminal's original trace and date) when it carries no RRN: the terminal's own transactions
     * with that STAN on that date, not reversals, newest first. The caller picks among them by type:
     * a STAN is meant to be used once a day, but a terminal that reuses one for a pre-authorization
     * and a purchase must not have its void land on the wrong one. Unlike {@link #findOriginal} the
     * amount is not part of the match, so that a void of another amount finds its original and is
     * refused for the amount (64), not as unknown (25).
     */
    public CompletableFuture<List<JournalEntry>> findByTerminalStan(String terminalId, String stan, LocalDate transactionDate) {
        Checks.text(terminalId, 16, "terminalId");
        Checks.digits(stan, 6, "stan");
        return executor.inTransaction("journal find by stan", c -> {
            try (PreparedStatement s = c.prepareStatement(BY_STAN)) {
                s.setString(1, terminalId);
                s.setString(2, stan);
                s.setObject(3, transactionDate);
                s.setMaxRows(MAX_SAME_STAN);
                return list(s);
            }
        });
    }

    /** Every record that refers to {@code originalId} (its voids, refunds, completions, reversals), oldest first. */
    public CompletableFuture<List<JournalEntry>> findLinked(UUID originalId) {
        return executor.inTransaction("journal find linked", c -> {
            try (PreparedStatement s = c.prepareStatement(LINKED)) {
                s.setObject(1, originalId);
                return list(s);
            }
        });
    }

    /** Records of {@code nodeId} still SENT that were written before {@code before}, oldest first. */
    public CompletableFuture<List<JournalEntry>> findUnanswered(String nodeId, Instant before) {
        return executor.inTransaction("journal find unanswered", c -> {
            try (PreparedStatement s = c.prepareStatement(UNANSWERED)) {
                s.setString(1, nodeId);
                SqlValues.setInstant(s, 2, before);
                return list(s);
            }
        });
    }

    /** Every record of a business date, oldest first: what settlement, reconciliation and audits read. */
    public CompletableFuture<List<JournalEntry>> findByBusinessDate(LocalDate businessDate) {
        return executor.inTransaction("journal find by business date", c -> {
            try (PreparedStatement s = c.prepareStatement(BY_BUSINESS_DATE)) {
                s.setObject(1, businessDate);
                return list(s);
            }
        });
    }

    static List<JournalEntry> list(PreparedStatement s) throws SQLException {
        List<JournalEntry> entries = new ArrayList<>();
        try (ResultSet row = s.executeQuery()) {
            while (row.next()) {
                entries.add(JournalRows.map(row));
            }
        }
        return entries;
    }
}
