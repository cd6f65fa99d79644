package io.isoswitch.settlement.fees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class FeePlanTest {
    private static final FeePlan PLAN = new FeePlan("retail", List.of(
            new FeeRule("*", "*", new BigDecimal("0.60"), 0, 0, 0, FeeRule.ANY),
            new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 10, 2_000, "156"),
            new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 50, 0, "156"),
            new FeeRule("*", "balance_inquiry", BigDecimal.ZERO, 5, 0, 0, "156")),
            RefundFeePolicy.RETURN_PROPORTIONAL);

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        // catch-all 0.60 %: 10000 * 0.6 % = 60
        "mastercard, purchase, 10000, 60",
        // half-even: 125 * 0.6 % = 0.75 -> 1; 75 * 0.6 % = 0.45 -> 0; 250 * 0.6 % = 1.5 -> 2; 750 * 0.6 % = 4.5 -> 4
        "mastercard, purchase, 125, 1",
        "mastercard, purchase, 75, 0",
        "mastercard, purchase, 250, 2",
        "mastercard, purchase, 750, 4",
        // unionpay 0.38 % with minimum 10 and cap 2000
        "unionpay, purchase, 1000, 10",
        "unionpay, purchase, 100000, 380",
        "unionpay, purchase, 100000000, 2000",
        // visa purchase: 1.10 % + 25, minimum 50
        "visa, purchase, 1000, 50",
        "visa, purchase, 10000, 135",
        // visa refund falls back to the catch-all
        "visa, refund, 10000, 60",
        // a fixed-only rule for balance inquiries of schemes without their own rule
        "mastercard, balance_inquiry, 0, 5",
        // a scheme rule beats a type rule: unionpay balance inquiry takes the unionpay minimum
        "unionpay, balance_inquiry, 0, 10",
        "mastercard, purchase, 0, 0",
    })
    void pricesEachCaseOfTheTable(String scheme, String type, long amount, long expectedFee) {
        assertThat(PLAN.feeMinor(scheme, type, "156", amount)).isEqualTo(expectedFee);
    }

    @Test
    void aFullRefundReturnsTheWholeFeeAndAPartialOneItsShare() {
        long fee = PLAN.feeMinor("visa", "purchase", "156", 10_000);
        assertThat(PLAN.returnedFeeMinor("visa", "purchase", "156", 10_000, fee, 10_000)).isEqualTo(fee);
        // 135 * 2500 / 10000 = 33.75 -> 34
        assertThat(PLAN.returnedFeeMinor("visa", "purchase", "156", 10_000, fee, 2_500)).isEqualTo(34);
    }

    @Test
    void aPlanThatKeepsFeesReturnsNothingAndOneThatReturnsThePercentageKeepsTheFixedPart() {
        FeePlan keep = new FeePlan("keep", PLAN.rules(), RefundFeePolicy.KEEP);
        FeePlan percentageOnly = new FeePlan("pct", PLAN.rules(), RefundFeePolicy.RETURN_PERCENTAGE_ONLY);
        long fee = PLAN.feeMinor("visa", "purchase", "156", 10_000);
        assertThat(keep.returnedFeeMinor("visa", "purchase", "156", 10_000, fee, 10_000)).isZero();
        assertThat(percentageOnly.returnedFeeMinor("visa", "purchase", "156", 10_000, fee, 10_000)).isEqualTo(110);
    }

    @Test
    void rejectsARefundAboveTheOriginalAndRulesThatContradictThemselves() {
        assertThatThrownBy(() -> PLAN.returnedFeeMinor("visa", "purchase", "156", 100, 50, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeeRule("*", "*", BigDecimal.ONE, 0, 100, 50, "156")).hasMessageContaining("maximumMinor 50");
        assertThatThrownBy(() -> new FeeRule("*", "*", new BigDecimal("-1"), 0, 0, 0, FeeRule.ANY)).hasMessageContaining("percent");
        assertThatThrownBy(() -> new FeePlan("dup", List.of(new FeeRule("*", "*", BigDecimal.ONE, 0, 0, 0, FeeRule.ANY),
                new FeeRule("*", "*", BigDecimal.TEN, 0, 0, 0, FeeRule.ANY)), RefundFeePolicy.KEEP)).hasMessageContaining("dup");
    }

    /** The same price list written for three currencies of 2, 0 and 3 decimals, and a percentage for the rest. */
    static final FeePlan MULTI = new FeePlan("multi", List.of(
            new FeeRule("*", "*", new BigDecimal("0.60")),
            new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 10, 2_000, "CNY"),
            new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 2, 400, "392"),
            new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 4, 860, "KWD"),
            new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 0, 0, "CNY")), RefundFeePolicy.RETURN_PROPORTIONAL);

    /**
     * Regression: a minimum and cap written for a currency of two decimals were applied, as minor
     * units, to every currency: 2 000 (20.00 yuan) capped a fee in yen at 2 000 yen and one in
     * dinars at 2.000 dinars. A rule's amounts now price only its own currency.
     */
    @Test
    void aRuleWithAmountsPricesOnlyTheCurrencyItNames() {
        assertThat(MULTI.feeMinor("unionpay", "purchase", "156", 100_000_000)).as("CNY: cap 20.00").isEqualTo(2_000);
        assertThat(MULTI.feeMinor("unionpay", "purchase", "392", 1_000_000)).as("JPY: cap 400 yen").isEqualTo(400);
        assertThat(MULTI.feeMinor("unionpay", "purchase", "414", 1_000_000)).as("KWD: cap 0.860").isEqualTo(860);
        assertThat(MULTI.feeMinor("unionpay", "purchase", "392", 100)).as("JPY: minimum 2 yen").isEqualTo(2);
        // no unionpay rule of USD: the percentage of any currency, no CNY cap
        assertThat(MULTI.feeMinor("unionpay", "purchase", "840", 100_000_000)).isEqualTo(600_000);
        // the fixed 0.25 yuan of visa purchases is not charged on a purchase in yen
        assertThat(MULTI.feeMinor("visa", "purchase", "392", 10_000)).isEqualTo(60);
        assertThat(MULTI.feeMinor("visa", "purchase", "156", 10_000)).isEqualTo(135);
        assertThat(MULTI.ruleFor("unionpay", "purchase", FeeRule.ANY)).get().isEqualTo(new FeeRule("*", "*", new BigDecimal("0.60")));
        assertThat(MULTI.currencies()).containsExactly("156", "392", "414");
    }

    @Test
    void refusesAmountsWithoutTheirCurrencyAndCurrenciesThatAreNone() {
        assertThatThrownBy(() -> new FeeRule("unionpay", "*", BigDecimal.ONE, 0, 0, 2_000, FeeRule.ANY))
                .hasMessageContaining("unionpay/*").hasMessageContaining("name the currency");
        assertThatThrownBy(() -> new FeeRule("*", "*", BigDecimal.ONE, 25, 0, 0, FeeRule.ANY)).hasMessageContaining("name the currency");
        assertThatThrownBy(() -> new FeeRule("*", "*", BigDecimal.ONE, 25, 0, 0, "XYZ")).hasMessageContaining("XYZ");
        assertThatThrownBy(() -> new FeeRule("*", "*", BigDecimal.ONE, 25, 0, 0, "999")).hasMessageContaining("999");
        assertThat(new FeeRule("*", "*", BigDecimal.ONE, 25, 0, 0, "jpy").currency()).isEqualTo("392");
        assertThat(new FeeRule("*", "*", BigDecimal.ONE, 25, 0, 0, "48").currency()).isEqualTo("048");
        assertThatThrownBy(() -> new FeePlan("dup", List.of(new FeeRule("*", "*", BigDecimal.ONE, 0, 0, 5, "CNY"),
                new FeeRule("*", "*", BigDecimal.TEN, 0, 0, 9, "156")), RefundFeePolicy.KEEP)).hasMessageContaining("dup");
    }

    @Test
    void theFeeStaysWithinItsMinimumAndCap() {
        qt().withExamples(1000).forAll(amounts(0, 1_000_000_000_000L))
                .checkAssert(amount -> assertThat(PLAN.feeMinor("unionpay", "purchase", "156", amount)).isBetween(10L, 2_000L));
    }

    @Test
    void refundsInPiecesNeverReturnMoreThanTheFee() {
        qt().withExamples(1000).forAll(amounts(1, 10_000_000), amounts(1, 10)).checkAssert((amount, pieces) -> {
            long fee = PLAN.feeMinor("mastercard", "purchase", "156", amount);
            long piece = amount / pieces;
            long refunded = 0;
            long returned = 0;
            for (int i = 0; i < pieces; i++) {
                returned += PLAN.returnedFeeMinor("mastercard", "purchase", "156", amount, fee, refunded, piece);
                refunded += piece;
            }
            assertThat(returned).isEqualTo(PLAN.returnedFeeMinor("mastercard", "purchase", "156", amount, fee, refunded))
                    .isLessThanOrEqualTo(fee);
        });
    }

    @Test
    void aSaleRefundedInTwoHalvesGetsItsWholeFeeBackAndNoMore() {
        FeePlan plan = new FeePlan("p", List.of(new FeeRule("*", "*", new BigDecimal("0.30"), 0, 0, 0, FeeRule.ANY)),
                RefundFeePolicy.RETURN_PROPORTIONAL);
        long fee = plan.feeMinor("amex", "purchase", "156", 1_000);
        assertThat(fee).isEqualTo(3);
        // 1.5 and 1.5: rounded each on its own, half-even, 2 + 2 would give back 4 of a fee of 3
        assertThat(plan.returnedFeeMinor("amex", "purchase", "156", 1_000, fee, 0, 500)
                + plan.returnedFeeMinor("amex", "purchase", "156", 1_000, fee, 500, 500)).isEqualTo(3);
    }

    /**
     * An amount in [min, max] (min >= 0) of any order of magnitude: a uniform draw up to 10^12
     * would almost never fall below the minimum fee's threshold, so half the draws pick a random
     * power of ten as their bound, and one in ten is a bound itself.
     */
    private static Gen<Long> amounts(long min, long max) {
        Gen<Long> byMagnitude = Generate.range(0, 18).flatMap(exponent -> Generate.longRange(min, min + Math.min(max - min, pow10(exponent))));
        Gen<Long> any = Generate.oneOf(byMagnitude, Generate.longRange(min, max));
        return Generate.frequency(Pair.of(90, any), Pair.of(10, Generate.pick(List.of(min, Math.min(min + 1, max), max))));
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
