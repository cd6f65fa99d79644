package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.fees.CardScheme;
import io.isoswitch.settlement.fees.FeePlan;
import io.isoswitch.settlement.fees.FeeRule;
import io.isoswitch.settlement.fees.RefundFeePolicy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The settlement benchmark's day at a small scale (100,000 rows generated in PostgreSQL by
 * {@code generate_series}, as {@code bench/settlement/settle-bench.sh} does with 10 million):
 * the set-based totals equal what Java computes row by row from the same rows with
 * {@link FeePlan}. Correctness only; the time is the benchmark's business.
 */
class SettlementAtScaleTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private static final int ROWS = 100_000;
    private static final FeePlan RETAIL = new FeePlan("retail", List.of(
            new FeeRule("*", "*", new BigDecimal("0.60"), 0, 0, 0, FeeRule.ANY),
            new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 10, 2_000, "156"),
            new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 50, 0, "156")), RefundFeePolicy.RETURN_PROPORTIONAL);
    private static final FeePlan GROCERY = new FeePlan("grocery", List.of(
            new FeeRule("*", "*", new BigDecimal("0.45"), 5, 0, 500, "156")), RefundFeePolicy.RETURN_PERCENTAGE_ONLY);

    private record Row(UUID id, String merchant, String type, long amount, String pan, String outcome, UUID original) {
    }

    @Test
    void aGeneratedDayOf100kRowsSettlesToWhatFeePlanComputesRowByRow() throws Exception {
        try (SettlementWorld world = SettlementWorld.open(Backend.POSTGRESQL, DAY)) {
            world.plans(RETAIL, GROCERY);
            try (Connection c = world.database().directConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO merchant (merchant_id, name, mcc, currency, fee_plan_id, updated_at)"
                        + " SELECT 'M' || lpad(m::text, 7, '0'), 'Merchant ' || m, '5411', '156',"
                        + " CASE WHEN m % 3 = 0 THEN 'grocery' ELSE 'retail' END, now() FROM generate_series(0, 49) m");
                s.execute(generateJournal());
            }
            world.cutover();
            SettlementReport report = world.settlement.settle(DAY, SettlementProgress.NONE);

            Map<String, long[]> expected = expectedTotals(world);
            Map<String, long[]> actual = new TreeMap<>();
            for (MerchantTotals m : report.merchants()) {
                actual.put(m.merchantId(), new long[] {m.salesCount(), m.salesMinor(), m.refundCount(), m.refundMinor(), m.feeMinor()});
            }
            assertThat(actual).hasSameSizeAs(expected).hasSize(50);
            expected.forEach((merchant, totals) -> assertThat(actual.get(merchant)).as(merchant).containsExactly(totals));
            assertThat(report.transactions()).isEqualTo(ROWS);
        }
    }

    private static Map<String, long[]> expectedTotals(SettlementWorld world) throws Exception {
        Map<UUID, Row> rows = new HashMap<>();
        try (Connection c = world.database().directConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, merchant_id, transaction_type, amount_minor, masked_pan, outcome_state, original_id"
                     + " FROM (" + world.settledRows(DAY) + ") s")) {
            while (r.next()) {
                Row row = new Row(r.getObject(1, UUID.class), r.getString(2), r.getString(3), r.getLong(4), r.getString(5),
                        r.getString(6), r.getObject(7, UUID.class));
                rows.put(row.id(), row);
            }
        }
        Map<String, long[]> totals = new TreeMap<>();
        for (Row row : rows.values()) {
            if (!"APPROVED".equals(row.outcome())) {
                continue;
            }
            FeePlan plan = Integer.parseInt(row.merchant().substring(1)) % 3 == 0 ? GROCERY : RETAIL;
            long[] t = totals.computeIfAbsent(row.merchant(), k -> new long[5]);
            switch (row.type()) {
                case "PURCHASE" -> {
                    t[0]++;
                    t[1] += row.amount();
                    t[4] += fee(plan, row);
                }
                case "REFUND" -> {
                    Row sale = rows.get(row.original());
                    t[2]++;
                    t[3] += row.amount();
                    t[4] -= plan.returnedFeeMinor(CardScheme.of(sale.pan()), "purchase", "156", sale.amount(), fee(plan, sale), row.amount());
                }
                case "REVERSAL" -> {
                    Row sale = rows.get(row.original());
                    t[0]--;
                    t[1] -= sale.amount();
                    t[4] -= fee(plan, sale);
                }
                default -> throw new AssertionError(row.type());
            }
        }
        return totals;
    }

    private static long fee(FeePlan plan, Row sale) {
        return plan.feeMinor(CardScheme.of(sale.pan()), sale.type().toLowerCase(Locale.ROOT), "156", sale.amount());
    }

    /** The benchmark's generator: 1 % refunds and 1 % reversals of the row before them, 1 % declines, 10 % partial refunds' amounts. */
    private static String generateJournal() {
        String d = "DATE '" + DAY + "'";
        return "INSERT INTO journal (id, node_id, business_date, terminal_id, merchant_id, stan, transaction_date, mti_class, mti,"
                + " local_time, transaction_type, processing_code, amount_minor, currency, pan_token, masked_pan, issuer_id,"
                + " switch_stan, switch_rrn, original_id, state, outcome_state, response_code, auth_code, created_at, updated_at)"
                + " SELECT lpad(to_hex(i), 32, '0')::uuid, 'node-1', " + d + ", 'T' || lpad((i % 500)::text, 7, '0'),"
                + " 'M' || lpad((i % 500 % 50)::text, 7, '0'), lpad((i / 500)::text, 6, '0'), " + d + ","
                + " CASE WHEN i % 100 = 50 THEN '040' ELSE '020' END, CASE WHEN i % 100 = 50 THEN '0400' ELSE '0200' END,"
                + " TIMESTAMP '" + DAY + " 00:00:00' + (i % 86400) * INTERVAL '1 second',"
                + " CASE WHEN i % 100 = 0 THEN 'REFUND' WHEN i % 100 = 50 THEN 'REVERSAL' ELSE 'PURCHASE' END,"
                + " CASE WHEN i % 100 = 0 THEN '200000' ELSE '000000' END,"
                // a refund takes all or a third of the sale before it; a reversal all of it
                + " CASE WHEN i % 100 = 0 AND i % 300 = 0 THEN (100 + (i - 1) % 99991) / 3"
                + " WHEN i % 100 IN (0, 50) THEN 100 + (i - 1) % 99991 ELSE 100 + i % 99991 END, '156',"
                + " decode(md5(i::text), 'hex'),"
                + " CASE WHEN i % 2 = 0 THEN '622202' ELSE '476173' END || '******' || lpad((i % 10000)::text, 4, '0'),"
                + " CASE WHEN i % 2 = 0 THEN 'bank-a' ELSE 'bank-b' END, lpad((i % 1000000)::text, 6, '0'), lpad(i::text, 12, '0'),"
                + " CASE WHEN i % 100 IN (0, 50) THEN lpad(to_hex(i - 1), 32, '0')::uuid END,"
                + " CASE WHEN i % 100 = 7 THEN 'DECLINED' ELSE 'APPROVED' END,"
                + " CASE WHEN i % 100 = 7 THEN 'DECLINED' ELSE 'APPROVED' END,"
                + " CASE WHEN i % 100 = 7 THEN '51' ELSE '00' END,"
                + " CASE WHEN i % 100 = 7 THEN NULL ELSE lpad((i % 1000000)::text, 6, '0') END, now(), now()"
                + " FROM generate_series(1, " + ROWS + ") i";
    }
}
