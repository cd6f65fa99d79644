package io.isoswitch.settlement.clearing;

import io.isoswitch.settlement.SqlFailures;
import io.isoswitch.settlement.calendar.BusinessCalendar;
import io.isoswitch.settlement.db.DatabaseVendor;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.db.Transactions;
import io.isoswitch.settlement.fees.CardScheme;
import io.isoswitch.settlement.fees.FeePlan;
import io.isoswitch.settlement.fees.FeePlanRepository;
import io.isoswitch.settlement.fees.FeeRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Settles a business date in set-based statements (no journal row passes through Java, and none
 * is written), in two transactions:
 *
 * <ol>
 *   <li>claim the date in {@code settlement_run} with its high-water mark, the largest
 *       {@code settle_seq} committed (a second run of the date finds it and returns the stored
 *       report, changing nothing; a concurrent one waits on the key, then does the same), and
 *       record the fee schedule it applies (each plan's rule per card scheme and sale type, chosen
 *       by {@link FeePlan#ruleFor}) and each merchant's plan;</li>
 *   <li>(under the run row's lock) record the rows it leaves for later because they are still SENT,
 *       total its rows per merchant and currency ({@code INSERT ... SELECT ... GROUP BY}), record
 *       the fee each row was charged or given back and the terms it was priced with
 *       ({@code settlement_fee_paid}: a later run's correction of the row gives back that, not what
 *       its own schedule would charge) and mark the run SETTLED.</li>
 * </ol>
 *
 * Which rows a run settles follows from the marks and deferred rows of it and the run before
 * ({@link SettlementSql#settledRows}): the rows of its dates, and as corrections the rows of
 * settled dates journaled after the previous run began. An attempt that stops between the two
 * transactions is finished by the next one, with the mark it recorded.
 *
 * A date is settled only once it is closed (cutover has moved past it), and dates settle in order.
 * Blocking: run it from a command or a worker thread.
 */
public final class MerchantSettlement {
    /** The sale types fee rules are resolved for (the lower-case names fee rules use). */
    static final List<String> FEE_TYPES = List.of("purchase", "preauth_completion", "preauth_completion_advice");

    private static final String SETTLED = "SETTLED";

    private final DataSource dataSource;
    private final DatabaseVendor vendor;
    private final Clock clock;

    public MerchantSettlement(JournalDatabase database, Clock clock) {
        this.dataSource = database.dataSource();
        this.vendor = database.vendor();
        this.clock = clock;
    }

    /** Settles {@code date}, or returns its report if it was settled before. */
    public SettlementReport settle(LocalDate date, SettlementProgress progress) {
        try {
            Optional<SettlementReport> done = Transactions.inTransaction(dataSource, c -> mark(c, date, progress));
            if (done.isPresent()) {
                return done.get();
            }
            refreshScheduleStatistics();
            return Transactions.inTransaction(dataSource, c -> total(c, date, progress));
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "settlement of " + date);
        }
    }

    /** The stored report of a settled date. */
    public Optional<SettlementReport> report(LocalDate date) {
        try {
            return Transactions.inTransaction(dataSource, c -> load(c, date));
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "settlement report of " + date);
        }
    }

    /** First transaction: claim the date, record the fee schedule, mark the rows. Empty unless already settled. */
    private Optional<SettlementReport> mark(Connection c, LocalDate date, SettlementProgress progress) throws SQLException {
        Optional<SettlementReport> done = load(c, date);
        if (done.isPresent()) {
            return Optional.of(done.get().asAlreadySettled());
        }
        if (runState(c, date, false).isPresent()) {
            return Optional.empty(); // marked by an attempt that stopped there: the totals are still to do
        }
        // One run begins at a time, across nodes and commands: the calendar row's lock serialises
        // this transaction with every other run's, so the order checks below see each run begun
        // before this one (uncommitted, a run of a later or earlier date was invisible to them, and
        // both settled the same rows). It also keeps a cutover from moving the date meanwhile.
        LocalDate open = BusinessCalendar.currentLocked(c)
                .orElseThrow(() -> new SettlementException("the business calendar has not started: no switch node has run on this database"));
        if (date.isAfter(open)) {
            throw new SettlementException("business date " + date + " has not begun (the current business date is " + open + ")");
        }
        if (date.isEqual(open)) {
            throw new SettlementException("business date " + date + " is still open (it is the current business date): cut over first");
        }
        Optional<LocalDate> last = lastSettled(c);
        if (last.isPresent() && !date.isAfter(last.get())) {
            throw new SettlementException("dates settle in order: " + date + " is not after the last settled date " + last.get());
        }
        Optional<LocalDate> begun = lastBegun(c);
        if (begun.isPresent() && !date.isAfter(begun.get())) {
            // its run read the rows of the dates before it without this one's: settling them here would settle them twice
            throw new SettlementException("dates settle in order: " + date + " is not after " + begun.get()
                    + ", whose settlement run has begun: settle " + begun.get() + " again to finish it");
        }
        if (queryLong(c, "SELECT COUNT(*) FROM settlement_run WHERE settlement_date < " + sqlDate(date)
                + " AND state <> '" + SETTLED + "'") > 0) {
            throw new SettlementException("an earlier settlement run has not finished: settle that date again first");
        }
        Optional<LocalDate> skipped = earliestUnsettledBefore(c, date, last);
        if (skipped.isPresent()) {
            // settling past it would pay its transactions as this date's, with no file of its own: a date
            // mistyped (a week ahead) merged days without a word
            throw new SettlementException("dates settle in order: business date " + skipped.get()
                    + " has transactions and is not settled; settle it before " + date);
        }
        long highWater = highWater(c);
        if (!claim(c, date, highWater)) {
            return Optional.empty(); // a concurrent attempt claimed it; the totals step sorts out who finishes
        }
        snapshotFees(c, date);
        progress.stepDone("fee schedule", -1);
        progress.stepDone("high-water mark", highWater);
        return Optional.empty();
    }

    /**
     * The earliest business date after the last settled one (or any, before the first run) and
     * before {@code date} that has journal rows: a date that must be settled first. Dates with no
     * rows (no traffic) need no run of their own.
     */
    private static Optional<LocalDate> earliestUnsettledBefore(Connection c, LocalDate date, Optional<LocalDate> lastSettled)
            throws SQLException {
        String after = lastSettled.map(last -> " AND business_date > " + sqlDate(last)).orElse("");
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT MIN(business_date) FROM journal"
                + " WHERE business_date < " + sqlDate(date) + after)) {
            r.next();
            return Optional.ofNullable(r.getObject(1, LocalDate.class));
        }
    }

    /**
     * The largest settle_seq of a committed journal row. On PostgreSQL a SHARE lock first waits
     * for every transaction writing the journal to end and holds new writers off until this short
     * transaction commits, so no row can later commit with a number at or below the mark: a
     * number is drawn inside an INSERT, which holds the lock SHARE conflicts with.
     */
    private long highWater(Connection c) throws SQLException {
        if (vendor == DatabaseVendor.POSTGRESQL) {
            update(c, "LOCK TABLE journal IN SHARE MODE");
        }
        return queryLong(c, "SELECT COALESCE(MAX(settle_seq), 0) FROM journal");
    }

    /** Second transaction: the merchant totals, written once under the run's row lock. */
    private SettlementReport total(Connection c, LocalDate date, SettlementProgress progress) throws SQLException {
        String state = runState(c, date, true).orElseThrow(() -> new IllegalStateException("settlement run of " + date + " vanished"));
        if (SETTLED.equals(state)) {
            return load(c, date).orElseThrow().asAlreadySettled();
        }
        update(c, "DELETE FROM merchant_settlement WHERE settlement_date = " + sqlDate(date));
        update(c, "DELETE FROM settlement_deferred WHERE settlement_date = " + sqlDate(date));
        update(c, "DELETE FROM settlement_fee_paid WHERE settlement_date = " + sqlDate(date));
        RunScope scope = RunScope.load(c, date);
        long deferred = update(c, "INSERT INTO settlement_deferred (settlement_date, journal_id) SELECT " + sqlDate(date)
                + ", s.id FROM (" + SettlementSql.settledRows(scope) + ") s WHERE s.state = 'SENT'");
        progress.stepDone("deferred (still SENT)", deferred);
        long merchants = update(c, "INSERT INTO merchant_settlement (settlement_date, merchant_id, currency, sales_count,"
                + " sales_minor, refund_count, refund_minor, fee_minor, net_minor)"
                + " SELECT " + sqlDate(date) + ", l.merchant_id, l.currency,"
                + " SUM(CASE WHEN l.category = 'SALE' THEN l.sign ELSE 0 END),"
                + " SUM(CASE WHEN l.category = 'SALE' THEN l.sign * l.amount_minor ELSE 0 END),"
                + " SUM(CASE WHEN l.category = 'REFUND' THEN l.sign ELSE 0 END),"
                + " SUM(CASE WHEN l.category = 'REFUND' THEN l.sign * l.amount_minor ELSE 0 END),"
                + " SUM(l.fee_minor), SUM(l.merchant_minor) - SUM(l.fee_minor)"
                + " FROM (" + SettlementSql.lines(scope) + ") l GROUP BY l.merchant_id, l.currency");
        progress.stepDone("merchant totals", merchants);
        long priced = update(c, "INSERT INTO settlement_fee_paid (journal_id, settlement_date, fee_minor, rule_plan_id, percent_e4,"
                + " refund_policy) " + SettlementSql.feesPaid(scope));
        progress.stepDone("fees paid", priced);
        long transactions;
        long corrections;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(CASE WHEN"
                + " s.business_date < " + sqlDate(date) + " THEN 1 ELSE 0 END), 0) FROM (" + SettlementSql.settledRows(scope) + ") s")) {
            r.next();
            transactions = r.getLong(1);
            corrections = r.getLong(2);
        }
        progress.stepDone("settled rows", transactions);
        try (PreparedStatement s = c.prepareStatement("UPDATE settlement_run SET state = ?, transactions = ?, corrections = ?,"
                + " settled_at = ? WHERE settlement_date = ?")) {
            s.setString(1, SETTLED);
            s.setLong(2, transactions);
            s.setLong(3, corrections);
            SqlValues.setInstant(s, 4, clock.instant());
            s.setObject(5, date);
            s.executeUpdate();
        }
        return load(c, date).orElseThrow();
    }

    /**
     * PostgreSQL last saw the recorded fee schedule and merchant plans empty (their rows are a
     * few milliseconds old): with fresh statistics it hash-joins them to the day's rows instead of
     * probing their indexes once per row (11 s instead of 29 s for the totals of 1 M rows).
     */
    private void refreshScheduleStatistics() throws SQLException {
        if (vendor != DatabaseVendor.POSTGRESQL) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE settlement_fee_rule, settlement_merchant_plan");
        }
    }

    private static Optional<String> runState(Connection c, LocalDate date, boolean lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT state FROM settlement_run WHERE settlement_date = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            s.setObject(1, date);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    private boolean claim(Connection c, LocalDate date, long highWater) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO settlement_run (settlement_date, state, transactions, corrections,"
                + " settled_at, high_water) VALUES (?, 'MARKED', 0, 0, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setObject(1, date);
            SqlValues.setInstant(s, 2, clock.instant());
            s.setLong(3, highWater);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * The fee schedule of the run: for every plan, card scheme, sale type and currency the plan
     * names, the rule that applies, and under currency {@code *} the rule for any other currency.
     */
    private static void snapshotFees(Connection c, LocalDate date) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO settlement_fee_rule (settlement_date, plan_id, scheme,"
                + " transaction_type, currency, percent_e4, fixed_minor, minimum_minor, maximum_minor, refund_policy)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (FeePlan plan : FeePlanRepository.findAll(c).values()) {
                List<String> currencies = new java.util.ArrayList<>(plan.currencies());
                currencies.add(FeeRule.ANY);
                for (String scheme : CardScheme.ALL) {
                    for (String type : FEE_TYPES) {
                        for (String currency : currencies) {
                            Optional<FeeRule> rule = plan.ruleFor(scheme, type, currency);
                            if (rule.isEmpty()) {
                                continue;
                            }
                            s.setObject(1, date);
                            s.setString(2, plan.id());
                            s.setString(3, scheme);
                            s.setString(4, type);
                            s.setString(5, currency);
                            s.setLong(6, rule.get().percentE4());
                            s.setLong(7, rule.get().fixedMinor());
                            s.setLong(8, rule.get().minimumMinor());
                            s.setLong(9, rule.get().maximumMinor());
                            s.setString(10, plan.refundPolicy().name());
                            s.addBatch();
                        }
                    }
                }
            }
            s.executeBatch();
        }
        update(c, "INSERT INTO settlement_merchant_plan (settlement_date, merchant_id, plan_id, refund_policy)"
                + " SELECT " + sqlDate(date) + ", m.merchant_id, m.fee_plan_id, COALESCE(p.refund_policy, 'KEEP')"
                + " FROM merchant m LEFT JOIN fee_plan p ON p.plan_id = m.fee_plan_id");
    }

    private static Optional<SettlementReport> load(Connection c, LocalDate date) throws SQLException {
        long transactions;
        long corrections;
        Instant settledAt;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT transactions, corrections, settled_at FROM settlement_run WHERE settlement_date = ? AND state = 'SETTLED'")) {
            s.setObject(1, date);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                transactions = r.getLong(1);
                corrections = r.getLong(2);
                settledAt = SqlValues.getInstant(r, "settled_at");
            }
        }
        List<MerchantTotals> merchants = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT merchant_id, currency, sales_count, sales_minor, refund_count,"
                + " refund_minor, fee_minor, net_minor FROM merchant_settlement WHERE settlement_date = ?"
                + " ORDER BY merchant_id, currency")) {
            s.setObject(1, date);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    merchants.add(new MerchantTotals(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4),
                            r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8)));
                }
            }
        }
        return Optional.of(new SettlementReport(date, transactions, corrections, settledAt, merchants, false));
    }

    /** The latest date of any run, finished or not. */
    private static Optional<LocalDate> lastBegun(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT MAX(settlement_date) FROM settlement_run")) {
            r.next();
            return Optional.ofNullable(r.getObject(1, LocalDate.class));
        }
    }

    private static Optional<LocalDate> lastSettled(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT MAX(settlement_date) FROM settlement_run WHERE state = 'SETTLED'")) {
            r.next();
            return Optional.ofNullable(r.getObject(1, LocalDate.class));
        }
    }

    /** A date as an SQL literal: LocalDate prints only digits and dashes, so nothing can be injected. */
    static String sqlDate(LocalDate date) {
        return "DATE '" + date + "'";
    }

    private static long update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
