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
            new FeeRule("*", "*", new BigDecimal("0.60"), 0, 0, 0),
            new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 10, 2_000),
            new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 50, 0),
            new FeeRule("*", "balance_inquiry", BigDecimal.ZERO, 5, 0, 0)),
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
        assertThat(PLAN.feeMinor(scheme, type, amount)).isEqualTo(expectedFee);
    }

    @Test
    void aFullRefundReturnsTheWholeFeeAndAPartialOneItsShare() {
        long fee = PLAN.feeMinor("visa", "purchase", 10_000);
        assertThat(PLAN.returnedFeeMinor("visa", "purchase", 10_000, fee, 10_000)).isEqualTo(fee);
        // 135 * 2500 / 10000 = 33.75 -> 34
        assertThat(PLAN.returnedFeeMinor("visa", "purchase", 10_000, fee, 2_500)).isEqualTo(34);
    }

    @Test
    void aPlanThatKeepsFeesReturnsNothingAndOneThatReturnsThePercentageKeepsTheFixedPart() {
        FeePlan keep = new FeePlan("keep", PLAN.rules(), RefundFeePolicy.KEEP);
        FeePlan percentageOnly = new FeePlan("pct", PLAN.rules(), RefundFeePolicy.RETURN_PERCENTAGE_ONLY);
        long fee = PLAN.feeMinor("visa", "purchase", 10_000);
        assertThat(keep.returnedFeeMinor("visa", "purchase", 10_000, fee, 10_000)).isZero();
        assertThat(percentageOnly.returnedFeeMinor("visa", "purchase", 10_000, fee, 10_000)).isEqualTo(110);
    }

    @Test
    void rejectsARefundAboveTheOriginalAndRulesThatContradictThemselves() {
        assertThatThrownBy(() -> PLAN.returnedFeeMinor("visa", "purchase", 100, 50, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeeRule("*", "*", BigDecimal.ONE, 0, 100, 50)).hasMessageContaining("maximumMinor 50");
        assertThatThrownBy(() -> new FeeRule("*", "*", new BigDecimal("-1"), 0, 0, 0)).hasMessageContaining("percent");
        assertThatThrownBy(() -> new FeePlan("dup", List.of(new FeeRule("*", "*", BigDecimal.ONE, 0, 0, 0),
                new FeeRule("*", "*", BigDecimal.TEN, 0, 0, 0)), RefundFeePolicy.KEEP)).hasMessageContaining("dup");
    }

    @Test
    void theFeeStaysWithinItsMinimumAndCap() {
        qt().withExamples(1000).forAll(amounts(0, 1_000_000_000_000L))
                .checkAssert(amount -> assertThat(PLAN.feeMinor("unionpay", "purchase", amount)).isBetween(10L, 2_000L));
    }

    @Test
    void refundsInPiecesNeverReturnMoreThanTheFee() {
        qt().withExamples(1000).forAll(amounts(1, 10_000_000), amounts(1, 10)).checkAssert((amount, pieces) -> {
            long fee = PLAN.feeMinor("mastercard", "purchase", amount);
            long piece = amount / pieces;
            long refunded = 0;
            long returned = 0;
            for (int i = 0; i < pieces; i++) {
                returned += PLAN.returnedFeeMinor("mastercard", "purchase", amount, fee, refunded, piece);
                refunded += piece;
            }
            assertThat(returned).isEqualTo(PLAN.returnedFeeMinor("mastercard", "purchase", amount, fee, refunded))
                    .isLessThanOrEqualTo(fee);
        });
    }

    @Test
    void aSaleRefundedInTwoHalvesGetsItsWholeFeeBackAndNoMore() {
        FeePlan plan = new FeePlan("p", List.of(new FeeRule("*", "*", new BigDecimal("0.30"), 0, 0, 0)),
                RefundFeePolicy.RETURN_PROPORTIONAL);
        long fee = plan.feeMinor("amex", "purchase", 1_000);
        assertThat(fee).isEqualTo(3);
        // 1.5 and 1.5: rounded each on its own, half-even, 2 + 2 would give back 4 of a fee of 3
        assertThat(plan.returnedFeeMinor("amex", "purchase", 1_000, fee, 0, 500)
                + plan.returnedFeeMinor("amex", "purchase", 1_000, fee, 500, 500)).isEqualTo(3);
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
