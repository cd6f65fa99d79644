package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.fees.FeePlan;
import io.isoswitch.settlement.fees.FeeRule;
import io.isoswitch.settlement.fees.RefundFeePolicy;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A correction settled in a later run than the sale it undoes or refunds gives back the fee that
 * sale was charged, under the terms it was charged with, whatever the merchant's plan has become
 * since (found in review15s: it was priced with the later run's schedule).
 */
class SettledSaleFeeTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private static final String VISA = "476173******0119";

    private static FeePlan percent(String id, String percent, RefundFeePolicy policy) {
        return new FeePlan(id, List.of(new FeeRule("*", "*", new BigDecimal(percent), 0, 0, 0, FeeRule.ANY)), policy);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLateReversalGivesBackTheFeeTheSaleWasChargedNotTheFeeOfTheNewPlan(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(percent("retail", "1.00", RefundFeePolicy.RETURN_PROPORTIONAL));
            world.merchant("M1", "retail");
            UUID sale = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            world.cutover();
            SettlementReport first = world.settlement.settle(DAY, SettlementProgress.NONE);
            assertThat(first.merchants()).singleElement().satisfies(m -> assertThat(m.feeMinor()).isEqualTo(100));

            world.plans(percent("retail", "2.00", RefundFeePolicy.RETURN_PROPORTIONAL));
            world.reversal(DAY, "M1", 10_000, VISA, sale); // late: journaled on its original's (settled) date
            world.cutover();
            SettlementReport second = world.settlement.settle(DAY.plusDays(1), SettlementProgress.NONE);

            assertThat(second.merchants()).singleElement().satisfies(m -> {
                assertThat(m.salesMinor()).isEqualTo(-10_000);
                assertThat(m.feeMinor()).as("fee given back for a sale that paid 100").isEqualTo(-100);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRefundInALaterRunGivesBackItsShareOfTheFeeTheSalePaid(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(percent("retail", "1.00", RefundFeePolicy.RETURN_PROPORTIONAL));
            world.merchant("M1", "retail");
            UUID sale = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            world.cutover();
            world.settlement.settle(DAY, SettlementProgress.NONE);

            world.plans(percent("retail", "2.00", RefundFeePolicy.RETURN_PROPORTIONAL));
            world.refund(DAY.plusDays(1), "M1", 5_000, VISA, "bank-b", sale);
            world.cutover();
            SettlementReport second = world.settlement.settle(DAY.plusDays(1), SettlementProgress.NONE);

            assertThat(second.merchants()).singleElement().satisfies(m -> {
                assertThat(m.refundMinor()).isEqualTo(5_000);
                assertThat(m.feeMinor()).as("half of the 100 the sale paid").isEqualTo(-50);
            });
        }
    }

    /**
     * The merchant moves between the runs to a plan that charges nothing and keeps nothing: the
     * sale still paid 100 under a plan that returns it in proportion, and its reversal and refund
     * give that back, the sale's own terms.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aMerchantMovedToAnotherPlanIsGivenBackWhatItsSalesPaidUnderTheirPlan(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(percent("retail", "1.00", RefundFeePolicy.RETURN_PROPORTIONAL),
                    new FeePlan("flat", List.of(), RefundFeePolicy.KEEP));
            world.merchant("M1", "retail");
            UUID reversed = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            UUID refunded = world.sale(DAY, "M1", 20_000, VISA, "bank-b");
            world.cutover();
            SettlementReport first = world.settlement.settle(DAY, SettlementProgress.NONE);
            assertThat(first.merchants()).singleElement().satisfies(m -> assertThat(m.feeMinor()).isEqualTo(300));

            world.merchant("M1", "flat");
            world.reversal(DAY, "M1", 10_000, VISA, reversed);
            world.refund(DAY.plusDays(1), "M1", 5_000, VISA, "bank-b", refunded);
            UUID newSale = world.sale(DAY.plusDays(1), "M1", 40_000, VISA, "bank-b");
            world.cutover();
            SettlementReport second = world.settlement.settle(DAY.plusDays(1), SettlementProgress.NONE);

            assertThat(newSale).isNotNull();
            assertThat(second.merchants()).singleElement().satisfies(m -> {
                assertThat(m.salesMinor()).isEqualTo(-10_000 + 40_000);
                assertThat(m.refundMinor()).isEqualTo(5_000);
                // -100 (the reversed sale's whole fee) - 50 (a quarter of 200); the new sale pays nothing under "flat"
                assertThat(m.feeMinor()).isEqualTo(-150);
            });
        }
    }

    /** A refund settled in one run and reversed in a later one takes back exactly what the refund gave. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLateReversalOfARefundTakesBackWhatTheRefundGave(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(percent("retail", "1.00", RefundFeePolicy.RETURN_PROPORTIONAL));
            world.merchant("M1", "retail");
            UUID sale = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            world.cutover();
            world.settlement.settle(DAY, SettlementProgress.NONE);
            UUID refund = world.refund(DAY.plusDays(1), "M1", 4_000, VISA, "bank-b", sale);
            world.cutover();
            SettlementReport second = world.settlement.settle(DAY.plusDays(1), SettlementProgress.NONE);
            assertThat(second.merchants()).singleElement().satisfies(m -> assertThat(m.feeMinor()).isEqualTo(-40));

            world.plans(percent("retail", "3.00", RefundFeePolicy.RETURN_PROPORTIONAL));
            world.reversal(DAY.plusDays(1), "M1", 4_000, VISA, refund);
            world.cutover();
            SettlementReport third = world.settlement.settle(DAY.plusDays(2), SettlementProgress.NONE);

            assertThat(third.merchants()).singleElement().satisfies(m -> {
                assertThat(m.refundMinor()).isEqualTo(-4_000);
                assertThat(m.feeMinor()).as("the 40 the refund gave back, taken back").isEqualTo(40);
            });
        }
    }
}
