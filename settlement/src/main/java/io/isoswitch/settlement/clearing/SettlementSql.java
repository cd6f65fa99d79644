package io.isoswitch.settlement.clearing;

import io.isoswitch.settlement.fees.CardScheme;

/**
 * The SQL of a settlement run, written once for H2 and PostgreSQL. {@link #lines} is the one
 * definition of what a settled journal row contributes; the merchant totals and both kinds of file
 * are read from it.
 *
 * <p>What counts: rows whose issuer answer was an approval ({@code outcome_state}, which a later
 * reversal does not change). A sale type adds its amount and its fee; a refund or void subtracts
 * its amount and gives back the fee its plan returns (of the sale it names); a terminal reversal
 * undoes the row it names, amount and whole fee. A request reversed because it timed out was never
 * approved, so it counts nothing. A row settled by an earlier run is priced with what that run
 * recorded it paid ({@code settlement_fee_paid}): an undo of it takes back that fee, a refund of it
 * is given its share of that fee under the sale's refund policy. Fees are integer arithmetic on minor units: percentages are held
 * in units of 0.0001 %, and a fraction of a unit is rounded half-even, as {@code FeePlan} does.
 */
final class SettlementSql {
    static final String SALE_TYPES = "('PURCHASE', 'PREAUTH_COMPLETION', 'PREAUTH_COMPLETION_ADVICE')";
    static final String RETURN_TYPES = "('REFUND', 'PURCHASE_VOID', 'PREAUTH_COMPLETION_VOID')";
    static final String APPROVED = "('APPROVED', 'STAND_IN_APPROVED')";
    /** Rows that undo the row they name, as opposed to a refund, which is a sale of its own in reverse. */
    static final String UNDO_TYPES = "('PURCHASE_VOID', 'PREAUTH_COMPLETION_VOID', 'REVERSAL')";
    static final String VOID_TYPES = "('PURCHASE_VOID', 'PREAUTH_COMPLETION_VOID')";
    private static final long PERCENT_E4_DIVISOR = 1_000_000L;

    private SettlementSql() {
    }

    /** x / n rounded half-even, for x >= 0 and n > 0 (SQL integer division truncates). */
    static String halfEvenDiv(String x, String n) {
        return "((" + x + ") / (" + n + ") + CASE WHEN MOD(" + x + ", " + n + ") * 2 > (" + n + ") THEN 1"
                + " WHEN MOD(" + x + ", " + n + ") * 2 < (" + n + ") THEN 0"
                + " ELSE MOD((" + x + ") / (" + n + "), 2) END)";
    }

    /** The fee of a sale of {@code amount} under the resolved rule aliased {@code r} (0 without one). */
    static String fee(String r, String amount) {
        String percentPart = halfEvenDiv(amount + " * " + r + ".percent_e4", Long.toString(PERCENT_E4_DIVISOR));
        String atLeast = "GREATEST(" + percentPart + " + " + r + ".fixed_minor, " + r + ".minimum_minor)";
        return "CASE WHEN " + r + ".plan_id IS NULL THEN 0 WHEN " + r + ".maximum_minor = 0 THEN " + atLeast
                + " ELSE LEAST(" + atLeast + ", " + r + ".maximum_minor) END";
    }

    /**
     * The fee returned when {@code refunded} of a sale of {@code saleAmount} that paid
     * {@code saleFee} is refunded or voided after {@code previous} of it was, under refund policy
     * {@code policy} and the sale's rule (its plan id {@code rulePlan}, null without one, and
     * {@code percentE4}): what the policy returns on {@code previous + refunded} less what it
     * returns on {@code previous}, as {@code FeePlan.returnedFeeMinor} does, so that a sale's
     * refunds together never give back more than the policy returns on their sum; 0 when the sale
     * is unknown ({@code saleAmount} null).
     */
    static String returnedFee(String policy, String rulePlan, String percentE4, String saleAmount, String saleFee,
                              String previous, String refunded) {
        String upToThis = "(" + previous + " + " + refunded + ")";
        return "(" + returnedUpTo(policy, rulePlan, percentE4, saleAmount, saleFee, upToThis)
                + " - " + returnedUpTo(policy, rulePlan, percentE4, saleAmount, saleFee, "(" + previous + ")") + ")";
    }

    /** What the policy returns of a sale's fee once {@code refunded} of the sale is refunded in all. */
    private static String returnedUpTo(String policy, String rulePlan, String percentE4, String saleAmount, String saleFee,
                                       String refunded) {
        String proportional = "CASE WHEN " + refunded + " >= " + saleAmount + " THEN " + saleFee
                + " ELSE " + halfEvenDiv(saleFee + " * " + refunded, saleAmount) + " END";
        String percentOnly = "CASE WHEN " + rulePlan + " IS NULL THEN 0 ELSE LEAST(" + saleFee + ", "
                + halfEvenDiv(refunded + " * " + percentE4, Long.toString(PERCENT_E4_DIVISOR)) + ") END";
        return "CASE WHEN " + saleAmount + " IS NULL OR " + saleAmount + " = 0 THEN 0"
                + " WHEN " + policy + " = 'RETURN_PROPORTIONAL' THEN " + proportional
                + " WHEN " + policy + " = 'RETURN_PERCENTAGE_ONLY' THEN " + percentOnly
                + " ELSE 0 END";
    }

    /**
     * What was refunded or voided of the sale {@code e} names before {@code e} (a refund or void;
     * 0 for other rows): the approved refunds and voids of the same sale priced before it
     * ({@link #pricedBefore}) and not reversed before it, less any this run defers (still waiting
     * for their issuer when it began, so the figure of a settled run stays fixed). PostgreSQL sums
     * BIGINT as NUMERIC, whose division is not integer division: hence the cast.
     */
    private static String refundedBefore(String e, RunScope scope) {
        String d = "DATE '" + scope.date() + "'";
        return "CASE WHEN " + e + ".transaction_type IN " + RETURN_TYPES + " THEN CAST(COALESCE((SELECT SUM(r.amount_minor)"
                + " FROM journal r WHERE r.original_id = " + e + ".original_id AND r.transaction_type IN " + RETURN_TYPES
                + " AND r.outcome_state IN " + APPROVED + " AND " + pricedBefore("r", e, scope)
                + " AND NOT EXISTS (SELECT 1 FROM settlement_deferred rd WHERE rd.settlement_date = " + d
                + " AND rd.journal_id = r.id)"
                + " AND NOT EXISTS (SELECT 1 FROM journal rv WHERE rv.original_id = r.id AND rv.transaction_type = 'REVERSAL'"
                + " AND rv.outcome_state IN " + APPROVED + " AND " + pricedBefore("rv", e, scope) + ")), 0) AS BIGINT) ELSE 0 END";
    }

    /**
     * Whether row {@code x} was priced before row {@code e} of the run of {@code scope}: settled by
     * an earlier run (marked by one, before {@code V7_5}; or of a date up to the previous run's, at
     * or below its high-water mark and not deferred by it), or journaled before {@code e}. Journal
     * order alone is not enough: a refund deferred by a run (it was still waiting for its issuer)
     * is priced in the next run, after the sale's refunds journaled behind it and settled in the
     * earlier run, and must count them, or each would be given half a unit too much.
     */
    private static String pricedBefore(String x, String e, RunScope scope) {
        String d = "DATE '" + scope.date() + "'";
        String earlier = "(" + x + ".settlement_date IS NOT NULL AND " + x + ".settlement_date < " + d + ")";
        if (scope.previousDate().isPresent()) {
            String p = "DATE '" + scope.previousDate().get() + "'";
            earlier += " OR (" + x + ".settlement_date IS NULL AND " + x + ".business_date <= " + p + " AND " + x + ".settle_seq <= "
                    + scope.previousHighWater() + " AND NOT EXISTS (SELECT 1 FROM settlement_deferred pd WHERE pd.settlement_date = "
                    + p + " AND pd.journal_id = " + x + ".id))";
        }
        return "(" + x + ".settle_seq < " + e + ".settle_seq OR " + earlier + ")";
    }

    /** Columns of one side (e: the row whose amount counts; s: the sale it refunds) of a line. */
    private static String side(String alias, String prefix) {
        return alias + ".id AS " + prefix + "_id, " + alias + ".transaction_type AS " + prefix + "_type, " + alias + ".amount_minor AS " + prefix + "_amount, "
                + CardScheme.sqlCase(alias + ".masked_pan") + " AS " + prefix + "_scheme";
    }

    private static String nullSide(String prefix) {
        return "CAST(NULL AS UUID) AS " + prefix + "_id, CAST(NULL AS VARCHAR(32)) AS " + prefix + "_type, CAST(NULL AS BIGINT) AS " + prefix + "_amount, "
                + "CAST(NULL AS VARCHAR(16)) AS " + prefix + "_scheme";
    }

    private static String display(String e) {
        return e + ".issuer_id, " + e + ".switch_rrn, " + e + ".switch_stan, " + e + ".stan AS terminal_stan, "
                + e + ".auth_code, " + e + ".masked_pan, " + e + ".local_time, " + e + ".transaction_date";
    }

    /**
     * Every journal row settled in the run of {@code scope}'s date (all columns of journal), whether it
     * moves money or not, read from what the run recorded; no journal row carries a mark. Four
     * disjoint parts:
     *
     * <ol>
     *   <li>rows marked by a run before settlement stopped marking rows ({@code settlement_date};
     *       such runs have no high-water mark, so the other parts are empty for them);</li>
     *   <li>rows of the dates after the previous run up to this one, numbered at or below this
     *       run's high-water mark;</li>
     *   <li>corrections: rows of dates the previous run covered, numbered after its mark (late
     *       reversals and advices journaled on a settled date) and at or below this one's;</li>
     *   <li>rows the previous run deferred (they were still SENT then).</li>
     * </ol>
     *
     * less the rows this run deferred. The bounds are literals read first ({@link RunScope#load}):
     * with them PostgreSQL estimates the day's rows from its statistics and hash-joins the fee
     * schedule; behind scalar subqueries it guessed a few thousand rows and looped over the rules.
     */
    static String settledRows(RunScope scope) {
        String d = "DATE '" + scope.date() + "'";
        String marked = "SELECT j.* FROM journal j WHERE j.settlement_date = " + d;
        if (scope.highWater().isEmpty()) {
            return marked;
        }
        long high = scope.highWater().getAsLong();
        String notDeferred = " AND NOT EXISTS (SELECT 1 FROM settlement_deferred x WHERE x.settlement_date = " + d
                + " AND x.journal_id = j.id)";
        String ofTheDay = "SELECT j.* FROM journal j WHERE j.business_date <= " + d
                + scope.previousDate().map(p -> " AND j.business_date > DATE '" + p + "'").orElse("")
                + " AND j.settle_seq <= " + high + " AND j.settlement_date IS NULL" + notDeferred;
        if (scope.previousDate().isEmpty()) {
            return marked + " UNION ALL " + ofTheDay;
        }
        String p = "DATE '" + scope.previousDate().get() + "'";
        String corrections = "SELECT j.* FROM journal j WHERE j.settle_seq > " + scope.previousHighWater()
                + " AND j.settle_seq <= " + high + " AND j.business_date <= " + p + " AND j.settlement_date IS NULL" + notDeferred;
        String deferredBefore = "SELECT j.* FROM settlement_deferred dp JOIN journal j ON j.id = dp.journal_id"
                + " WHERE dp.settlement_date = " + p + notDeferred;
        return marked + " UNION ALL " + ofTheDay + " UNION ALL " + corrections + " UNION ALL " + deferredBefore;
    }

    /**
     * One row per settled journal row of the run of {@code scope} that moves money: journal_id, original_id (the
     * row a refund, void, completion or reversal names; null for the others), merchant_id,
     * terminal_id, currency, business_date, record_type (the journal row's type), category (SALE or
     * REFUND), sign (-1 for a reversal), amount_minor (unsigned), merchant_minor (what it adds to
     * the merchant's sales less refunds), fee_minor (signed), the display columns of the
     * transaction whose amount counts, and what {@link #feesPaid} records of the line
     * (fee_rule_plan_id, fee_percent_e4, fee_refund_policy). A part added here names its rows with
     * {@code side}/{@code nullSide}: their e_id and s_id are what finds the fee a row settled by an
     * earlier run paid.
     */
    static String lines(RunScope scope) {
        String d = "DATE '" + scope.date() + "'";
        String settled = "(" + settledRows(scope) + ")";
        String base = "j.id AS journal_id, j.original_id, j.merchant_id, j.terminal_id, j.currency, j.business_date,"
                + " j.transaction_type AS record_type, ";
        // A: rows naming no original (nearly all: sales, refunds without a link)
        String plain = "SELECT " + base + "1 AS sign, " + side("j", "e") + ", " + nullSide("s") + ", CAST(0 AS BIGINT) AS s_prev, "
                + display("j")
                + " FROM " + settled + " j WHERE j.original_id IS NULL"
                + " AND j.outcome_state IN " + APPROVED + " AND (j.transaction_type IN " + SALE_TYPES
                + " OR j.transaction_type IN " + RETURN_TYPES + ")";
        // B: refunds, voids and completions naming their original (the sale whose fee is returned)
        String linked = "SELECT " + base + "1 AS sign, " + side("j", "e") + ", " + side("o", "s") + ", "
                + refundedBefore("j", scope) + " AS s_prev, " + display("j")
                + " FROM " + settled + " j JOIN journal o ON o.id = j.original_id"
                + " WHERE j.original_id IS NOT NULL AND j.transaction_type <> 'REVERSAL'"
                + " AND j.outcome_state IN " + APPROVED + " AND (j.transaction_type IN " + SALE_TYPES
                + " OR j.transaction_type IN " + RETURN_TYPES + ")";
        // C: terminal reversals: the row they name counts again with the opposite sign
        String reversals = "SELECT " + base + "-1 AS sign, " + side("o", "e") + ", " + side("oo", "s") + ", "
                + refundedBefore("o", scope) + " AS s_prev, " + display("o")
                + " FROM " + settled + " j JOIN journal o ON o.id = j.original_id LEFT JOIN journal oo ON oo.id = o.original_id"
                + " WHERE j.original_id IS NOT NULL AND j.transaction_type = 'REVERSAL'"
                + " AND j.outcome_state IN " + APPROVED + " AND o.outcome_state IN " + APPROVED
                + " AND (o.transaction_type IN " + SALE_TYPES + " OR o.transaction_type IN " + RETURN_TYPES + ")";
        // what the rows a line names paid when an earlier run settled them (null if none did, or
        // before V15_21): an undo takes back the fee its row paid, a refund or void is given back
        // its share of the fee its sale paid, under the terms the sale was priced with
        String paidBefore = "SELECT x.*,"
                + " CASE WHEN x.sign = -1 THEN " + paid("x.e_id", "fee_minor", d) + " END AS e_paid,"
                + " CASE WHEN x.s_id IS NOT NULL THEN " + paid("x.s_id", "fee_minor", d) + " END AS s_paid,"
                + " CASE WHEN x.s_id IS NOT NULL THEN " + paid("x.s_id", "rule_plan_id", d) + " END AS s_paid_plan,"
                + " CASE WHEN x.s_id IS NOT NULL THEN " + paid("x.s_id", "percent_e4", d) + " END AS s_paid_percent_e4,"
                + " CASE WHEN x.s_id IS NOT NULL THEN " + paid("x.s_id", "refund_policy", d) + " END AS s_paid_policy"
                + " FROM (" + plain + " UNION ALL " + linked + " UNION ALL " + reversals + ") x";
        String priced = "SELECT x.*,"
                + " CASE WHEN x.s_paid IS NULL THEN mp.refund_policy ELSE x.s_paid_policy END AS refund_policy,"
                + " CASE WHEN x.e_type IN " + SALE_TYPES + " THEN 'SALE' ELSE 'REFUND' END AS category,"
                + " " + fee("re", "x.e_amount") + " AS e_fee, re.plan_id AS e_plan, re.percent_e4 AS e_percent_e4,"
                + " CASE WHEN x.s_paid IS NULL THEN " + fee("rs", "x.s_amount") + " ELSE x.s_paid END AS s_fee,"
                + " CASE WHEN x.s_paid IS NULL THEN rs.percent_e4 ELSE x.s_paid_percent_e4 END AS s_percent_e4,"
                + " CASE WHEN x.s_paid IS NULL THEN rs.plan_id ELSE x.s_paid_plan END AS s_plan"
                + " FROM (" + paidBefore + ") x"
                + " LEFT JOIN settlement_merchant_plan mp ON mp.settlement_date = " + d + " AND mp.merchant_id = x.merchant_id"
                // the rules of the row's currency when the plan names it, else those of any currency ('*')
                + " LEFT JOIN (SELECT DISTINCT plan_id, currency FROM settlement_fee_rule WHERE settlement_date = " + d
                + " AND currency <> '*') pc ON pc.plan_id = mp.plan_id AND pc.currency = x.currency"
                + " LEFT JOIN settlement_fee_rule re ON re.settlement_date = " + d + " AND re.plan_id = mp.plan_id"
                + " AND re.scheme = x.e_scheme AND re.transaction_type = LOWER(x.e_type) AND re.currency = COALESCE(pc.currency, '*')"
                + " LEFT JOIN settlement_fee_rule rs ON rs.settlement_date = " + d + " AND rs.plan_id = mp.plan_id"
                + " AND rs.scheme = x.s_scheme AND rs.transaction_type = LOWER(x.s_type) AND rs.currency = COALESCE(pc.currency, '*')";
        String returned = returnedFee("p.refund_policy", "p.s_plan", "p.s_percent_e4", "p.s_amount", "p.s_fee", "p.s_prev",
                "p.e_amount");
        return "SELECT p.journal_id, p.original_id, p.merchant_id, p.terminal_id, p.currency, p.business_date, p.record_type, p.category,"
                + " p.sign, p.e_amount AS amount_minor,"
                + " p.sign * CASE WHEN p.category = 'SALE' THEN p.e_amount ELSE -p.e_amount END AS merchant_minor,"
                + " CASE WHEN p.e_paid IS NOT NULL THEN p.sign * p.e_paid"
                + " ELSE p.sign * CASE WHEN p.category = 'SALE' THEN p.e_fee ELSE -(" + returned + ") END END AS fee_minor,"
                + " p.issuer_id, p.switch_rrn, p.switch_stan, p.terminal_stan, p.auth_code, p.masked_pan, p.local_time,"
                + " p.transaction_date, p.e_plan AS fee_rule_plan_id, p.e_percent_e4 AS fee_percent_e4,"
                + " p.refund_policy AS fee_refund_policy"
                + " FROM (" + priced + ") p";
    }

    /** Column {@code column} of what row {@code id} paid as settled by a run before the date literal {@code d}. */
    private static String paid(String id, String column, String d) {
        return "(SELECT f." + column + " FROM settlement_fee_paid f WHERE f.journal_id = " + id + " AND f.settlement_date < " + d + ")";
    }

    /**
     * What each row the run of {@code scope} charges or gives back a fee for ({@link #lines} of
     * sign 1) paid, and the terms it was priced with, for {@code settlement_fee_paid}: a later run
     * prices a correction of the row with them.
     */
    static String feesPaid(RunScope scope) {
        return "SELECT l.journal_id, DATE '" + scope.date() + "', l.fee_minor, l.fee_rule_plan_id, l.fee_percent_e4,"
                + " l.fee_refund_policy FROM (" + lines(scope) + ") l WHERE l.sign = 1";
    }

    /**
     * The {@link #lines} an issuer's clearing file presents, ordered by issuer: all of them but
     * each undo ({@link #UNDO_TYPES}) whose original is settled in the same run, with that original.
     * The issuer undid such a sale online (a void reaches it as a reversal of the sale), so
     * presenting the pair would only show it a credit under a reference it never saw, and the sale
     * twice. An undo whose original an earlier run presented stays, as a credit: the issuer was
     * paid for the sale. An undo that was itself undone (a void its terminal reversed) cancels
     * nothing, and its reversal cancels it: the sale stands and is presented. A void is presented
     * under its sale's RRN and STAN, as a reversal is: the issuer never saw the void's own.
     */
    static String clearedLines(RunScope scope) {
        return "WITH l AS (" + lines(scope) + "),"
                + " u AS (SELECT journal_id, original_id FROM l WHERE record_type IN " + UNDO_TYPES + "),"
                + " cancelled AS (SELECT u.journal_id, u.original_id FROM u"
                + " WHERE EXISTS (SELECT 1 FROM l o WHERE o.journal_id = u.original_id)"
                + " AND NOT EXISTS (SELECT 1 FROM u u2 WHERE u2.original_id = u.journal_id))"
                // a void is presented under its sale's RRN and STAN: what its reversal named at the issuer
                + " SELECT l.journal_id, l.issuer_id, l.merchant_id, l.terminal_id, l.currency, l.business_date, l.record_type,"
                + " l.merchant_minor, l.auth_code, l.masked_pan, l.local_time, l.transaction_date,"
                + " CASE WHEN v.id IS NULL THEN l.switch_rrn ELSE v.switch_rrn END AS switch_rrn,"
                + " CASE WHEN v.id IS NULL THEN l.switch_stan ELSE v.switch_stan END AS switch_stan"
                + " FROM l LEFT JOIN journal v ON v.id = l.original_id AND l.record_type IN " + VOID_TYPES
                + " WHERE l.issuer_id IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM cancelled c WHERE c.journal_id = l.journal_id)"
                + " AND NOT EXISTS (SELECT 1 FROM cancelled c WHERE c.original_id = l.journal_id)"
                + " ORDER BY l.issuer_id, l.local_time, l.journal_id";
    }
}
