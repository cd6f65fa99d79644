package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.fees.CardScheme;
import io.isoswitch.settlement.fees.FeePlan;
import io.isoswitch.settlement.fees.FeeRule;
import io.isoswitch.settlement.fees.RefundFeePolicy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Settlement prices transactions in SQL; {@link FeePlan} prices them in Java. Both must give the
 * same fee to the minor unit, or the merchant report would disagree with what the plan promises:
 * a table of cases (each with its expected fee, so the table also pins the plan's own rules:
 * caps, minimums, refunds, half-even edges) and random cases, on H2 and PostgreSQL.
 */
class FeeSqlAgreementTest extends BothDatabases {
    private static final List<FeeRule> RULES = List.of(
            new FeeRule("*", "*", new BigDecimal("0.60"), 0, 0, 0, FeeRule.ANY),
            new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 10, 2_000, "156"),
            new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 50, 0, "156"),
            new FeeRule("mastercard", "purchase", new BigDecimal("0.0125"), 3, 0, 40, "156"));

    private static FeePlan plan(RefundFeePolicy policy) {
        return new FeePlan("p", RULES, policy);
    }

    @ParameterizedTest(name = "{0}: {1} {2} {3} -> {4}")
    @CsvSource({
        // catch-all 0.60 %; half-even: 0.75 -> 1, 0.45 -> 0, 1.5 -> 2, 4.5 -> 4, 2.5 -> 2
        "H2, amex, purchase, 10000, 60",
        "H2, amex, purchase, 125, 1",
        "H2, amex, purchase, 75, 0",
        "H2, amex, purchase, 250, 2",
        "H2, amex, purchase, 750, 4",
        "POSTGRESQL, amex, purchase, 750, 4",
        "POSTGRESQL, amex, purchase, 4250, 26",
        // unionpay: minimum 10, cap 2000
        "POSTGRESQL, unionpay, purchase, 1000, 10",
        "POSTGRESQL, unionpay, purchase, 100000, 380",
        "POSTGRESQL, unionpay, purchase, 100000000, 2000",
        "H2, unionpay, purchase, 100000000, 2000",
        // visa purchase: 1.10 % + 25, minimum 50; a visa completion falls back to the catch-all
        "POSTGRESQL, visa, purchase, 1000, 50",
        "POSTGRESQL, visa, purchase, 10000, 135",
        "POSTGRESQL, visa, preauth_completion, 10000, 60",
        // four decimals of a percent: 0.0125 % of 20000 = 2.5 -> 2 (even), + 3; of 60000 = 7.5 -> 8, + 3; cap 40
        "POSTGRESQL, mastercard, purchase, 20000, 5",
        "H2, mastercard, purchase, 60000, 11",
        "POSTGRESQL, mastercard, purchase, 10000000, 40",
        "POSTGRESQL, amex, purchase, 0, 0",
        "POSTGRESQL, amex, purchase, 10000000000, 60000000",
    })
    void sqlAndJavaChargeTheSameFeeOnEachCaseOfTheTable(Backend backend, String scheme, String type, long amount, long expected)
            throws SQLException {
        FeePlan plan = plan(RefundFeePolicy.RETURN_PROPORTIONAL);
        assertThat(plan.feeMinor(scheme, type, "156", amount)).isEqualTo(expected);
        try (Connection c = on(backend).directConnection()) {
            assertThat(sqlFee(c, plan.ruleFor(scheme, type, "156"), amount)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}: {1} of {2}, sale fee per plan, refund {3} -> {4}")
    @CsvSource({
        // proportional: the whole fee on a full refund; 135 * 2500 / 10000 = 33.75 -> 34; 135 * 5000 / 10000 = 67.5 -> 68 (even)
        "POSTGRESQL, RETURN_PROPORTIONAL, 10000, 10000, 135",
        "POSTGRESQL, RETURN_PROPORTIONAL, 10000, 2500, 34",
        "H2, RETURN_PROPORTIONAL, 10000, 5000, 68",
        "POSTGRESQL, RETURN_PROPORTIONAL, 10000, 5000, 68",
        // 135 * 1000 / 10000 = 13.5 -> 14 (even); 135 * 3000 / 10000 = 40.5 -> 40 (even)
        "POSTGRESQL, RETURN_PROPORTIONAL, 10000, 1000, 14",
        "POSTGRESQL, RETURN_PROPORTIONAL, 10000, 3000, 40",
        // percentage only: 1.10 % of the refund, never more than the fee; the fixed 25 is kept
        "POSTGRESQL, RETURN_PERCENTAGE_ONLY, 10000, 10000, 110",
        "H2, RETURN_PERCENTAGE_ONLY, 10000, 2500, 28",
        "POSTGRESQL, RETURN_PERCENTAGE_ONLY, 1000, 1000, 11",
        // keep: nothing comes back
        "POSTGRESQL, KEEP, 10000, 10000, 0",
        "H2, KEEP, 10000, 10000, 0",
    })
    void sqlAndJavaReturnTheSameFeeOnRefunds(Backend backend, RefundFeePolicy policy, long sale, long refunded, long expected)
            throws SQLException {
        FeePlan plan = plan(policy);
        long saleFee = plan.feeMinor("visa", "purchase", "156", sale);
        assertThat(plan.returnedFeeMinor("visa", "purchase", "156", sale, saleFee, refunded)).isEqualTo(expected);
        try (Connection c = on(backend).directConnection()) {
            assertThat(sqlReturned(c, policy, plan.ruleFor("visa", "purchase", "156"), sale, saleFee, refunded)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void randomRulesAndAmountsPriceTheSameInSqlAndJava(Backend backend) throws SQLException {
        try (Connection c = on(backend).directConnection()) {
            qt().withExamples(150).forAll(integers().between(0, 50_000), longs().between(0, 300), longs().between(0, 500),
                            longs().between(0, 1_000_000_000L))
                    .checkAssert((percentE4, fixed, minimum, amount) -> {
                        // a third of the rules have no cap; the rest a cap at some distance above the minimum
                        long cap = amount % 3 == 0 ? 0 : minimum + amount % 5_000;
                        FeeRule rule = new FeeRule("*", "*", BigDecimal.valueOf(percentE4, 4), fixed, minimum, cap, "156");
                        FeePlan plan = new FeePlan("q", List.of(rule), RefundFeePolicy.RETURN_PROPORTIONAL);
                        long fee = plan.feeMinor("visa", "purchase", "156", amount);
                        long refunded = amount / 3;
                        try {
                            assertThat(sqlFee(c, Optional.of(rule), amount)).isEqualTo(fee);
                            for (RefundFeePolicy policy : RefundFeePolicy.values()) {
                                FeePlan withPolicy = new FeePlan("q", List.of(rule), policy);
                                assertThat(sqlReturned(c, policy, Optional.of(rule), amount, fee, refunded))
                                        .as("%s refund of %d", policy, refunded)
                                        .isEqualTo(withPolicy.returnedFeeMinor("visa", "purchase", "156", amount, fee, refunded));
                                assertThat(sqlReturned(c, policy, Optional.of(rule), amount, fee, refunded, refunded))
                                        .as("%s refund of %d after %d", policy, refunded, refunded)
                                        .isEqualTo(withPolicy.returnedFeeMinor("visa", "purchase", "156", amount, fee, refunded, refunded));
                            }
                        } catch (SQLException e) {
                            throw new AssertionError(e);
                        }
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void sqlAndJavaTellTheSameCardScheme(Backend backend) throws SQLException {
        List<String> pans = List.of("476173******0119", "4000", "510000******0000", "559999******1234", "222100******0000",
                "272099******0000", "272100******0000", "222099******0000", "622202******0001", "340000******0000",
                "370000******0000", "350000******0000", "601100******0000", "650000******0000", "601200******0000",
                "900000******0000", "none", "", "12");
        try (Connection c = on(backend).directConnection()) {
            for (String pan : pans) {
                try (PreparedStatement s = c.prepareStatement("SELECT " + CardScheme.sqlCase("x.pan")
                        + " FROM (SELECT CAST(? AS VARCHAR(19)) AS pan) x")) {
                    s.setString(1, pan);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        assertThat(r.getString(1)).as(pan).isEqualTo(CardScheme.of(pan));
                    }
                }
            }
        }
        assertThat(CardScheme.of("476173******0119")).isEqualTo("visa");
        assertThat(CardScheme.of("622202******0001")).isEqualTo("unionpay");
        assertThat(CardScheme.of("272099******0000")).isEqualTo("mastercard");
    }

    private static String ruleColumns() {
        return "CAST(? AS VARCHAR(32)) AS plan_id, CAST(? AS BIGINT) AS percent_e4, CAST(? AS BIGINT) AS fixed_minor,"
                + " CAST(? AS BIGINT) AS minimum_minor, CAST(? AS BIGINT) AS maximum_minor";
    }

    private static int bindRule(PreparedStatement s, Optional<FeeRule> rule) throws SQLException {
        s.setString(1, rule.isPresent() ? "p" : null);
        s.setLong(2, rule.map(FeeRule::percentE4).orElse(0L));
        s.setLong(3, rule.map(FeeRule::fixedMinor).orElse(0L));
        s.setLong(4, rule.map(FeeRule::minimumMinor).orElse(0L));
        s.setLong(5, rule.map(FeeRule::maximumMinor).orElse(0L));
        return 6;
    }

    static long sqlFee(Connection c, Optional<FeeRule> rule, long amount) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + SettlementSql.fee("r", "r.amount")
                + " FROM (SELECT " + ruleColumns() + ", CAST(? AS BIGINT) AS amount) r")) {
            s.setLong(bindRule(s, rule), amount);
            return single(s);
        }
    }

    static long sqlReturned(Connection c, RefundFeePolicy policy, Optional<FeeRule> rule, long sale, long saleFee, long refunded)
            throws SQLException {
        return sqlReturned(c, policy, rule, sale, saleFee, 0, refunded);
    }

    static long sqlReturned(Connection c, RefundFeePolicy policy, Optional<FeeRule> rule, long sale, long saleFee, long previous,
                            long refunded) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT "
                + SettlementSql.returnedFee("r.policy", "r.plan_id", "r.percent_e4", "r.sale", "r.sale_fee", "r.previous", "r.refunded")
                + " FROM (SELECT " + ruleColumns() + ", CAST(? AS VARCHAR(32)) AS policy, CAST(? AS BIGINT) AS sale,"
                + " CAST(? AS BIGINT) AS sale_fee, CAST(? AS BIGINT) AS previous, CAST(? AS BIGINT) AS refunded) r")) {
            int i = bindRule(s, rule);
            s.setString(i, policy.name());
            s.setLong(i + 1, sale);
            s.setLong(i + 2, saleFee);
            s.setLong(i + 3, previous);
            s.setLong(i + 4, refunded);
            return single(s);
        }
    }

    private static long single(PreparedStatement s) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
