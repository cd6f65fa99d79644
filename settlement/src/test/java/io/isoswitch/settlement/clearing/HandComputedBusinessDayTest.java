package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.fees.FeePlan;
import io.isoswitch.settlement.fees.FeeRule;
import io.isoswitch.settlement.fees.RefundFeePolicy;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A business day over four merchants, three issuers and three currencies, settled and compared
 * with figures worked out by hand from docs/settlement.md, not from the code. The journal rows are
 * the ones the switch wrote when this day was driven through it with the command line (`serve`,
 * `issuer`, `terminal` scripts, `cutover` through the ops port while a purchase was at its issuer):
 * same types, states, links and business dates.
 *
 * <pre>
 * plan retail (RETURN_PROPORTIONAL): * * 0.60 %; unionpay CNY 0.38 % min 10 max 2000;
 *   unionpay JPY 0.38 % min 2 max 400; visa purchase CNY 1.10 % + 25, min 50
 * plan flat (KEEP): * * 1.25 %
 *
 * day 1, merchant A (retail, CNY)                 amount   fee
 *   purchase unionpay                                 800    10   3.04 -> 3, minimum 10
 *   purchase visa, approved in stand-in              2000    50   22 + 25 = 47, minimum 50
 *   purchase unionpay                               10000    38
 *   purchase unionpay, voided the same day         250/-250 10/-10  0.95 -> 1, minimum 10; all back
 *   purchase visa, refunded 2000               5000/-2000 80/-32  55 + 25; 80 * 2000 / 5000
 *   purchase declined 51, purchase timed out (bank-c, reversed by the switch)   nothing
 *   completions 20000, 6000 (of 10000), 11000 (of 10000, +10 %)   76, 23 (22.8), 42 (41.8)
 *   purchase 3000 (voided on day 2), 7000 (refunded on day 2)      11 (11.4), 27 (26.6)
 *   purchase visa sent before cutover, answered after              3000    58
 *   sales 11 / 68050, refunds 2 / 2250, fees 383, net 65417
 * merchant B (retail, JPY): 123456 fee 400 (469.13 capped), 777 fee 3 (2.95), refund 23456 of the first
 *   fee -76 (400 * 23456 / 123456 = 75.99): sales 2 / 124233, refunds 1 / 23456, fees 327, net 100450
 * merchant C (flat, CNY): 1000 fee 12 (12.5 half-even), 2550 fee 32 (31.875), refund 1000 fee 0 (KEEP),
 *   1100 fee 14 (13.75): sales 3 / 4650, refunds 1 / 1000, fees 58, net 3592
 * merchant D (retail, EUR: no EUR rule, 0.60 %): 9999 fee 60, 2500 fee 15, refund 1250 fee -8 (7.5 half-even)
 *   sales 2 / 12499, refunds 1 / 1250, fees 67, net 11182
 * clearing: bank-a CNY 9 debits 59900, 1 credit 1000 (the voided pair left out); JPY 2 / 124233, 1 / 23456
 *           bank-b CNY 4 debits 12550, 1 credit 2000; EUR 2 / 12499, 1 / 1250; bank-c nothing
 * day 2, merchant A: void of day 1's 3000 (-3000, fee -11), refund of day 1's 7000 (-7000, -27),
 *   completion 4000 of day 1's pre-authorization (15), purchase 1500 reversed by its terminal (0)
 *   sales 1 / 4000, refunds 2 / 10000, fees -23, net -5977; bank-a: 1 debit 4000, 2 credits 10000
 * </pre>
 */
class HandComputedBusinessDayTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 27);
    private static final String CNY = "156";
    private static final String JPY = "392";
    private static final String EUR = "978";
    private static final String UNIONPAY = "622202******0777";
    private static final String VISA = "476173******1437";
    private static final String MASTERCARD = "520000******5676";
    private static final FeePlan RETAIL = new FeePlan("retail", List.of(
            new FeeRule("*", "*", new BigDecimal("0.60")),
            new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 10, 2_000, CNY),
            new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 2, 400, JPY),
            new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 50, 0, CNY)), RefundFeePolicy.RETURN_PROPORTIONAL);
    private static final FeePlan FLAT = new FeePlan("flat", List.of(new FeeRule("*", "*", new BigDecimal("1.25"))),
            RefundFeePolicy.KEEP);
    private static final Outcome APPROVED = Outcome.approved("000001");
    private static final Outcome STAND_IN = new Outcome(TransactionState.STAND_IN_APPROVED, "00", "S00001", null);

    @TempDir
    Path out;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theDaysMerchantTotalsAndClearingFilesAreTheHandComputedOnes(Backend backend) throws Exception {
        try (SettlementWorld w = SettlementWorld.open(backend, DAY)) {
            w.plans(RETAIL, FLAT);
            w.merchant("MA", "retail");
            w.merchant("MB", "retail");
            w.merchant("MC", "flat");
            w.merchant("MD", "retail");

            w.row(DAY, "MA", "PURCHASE", 800, CNY, UNIONPAY, "bank-a", null, APPROVED);
            w.row(DAY, "MA", "PURCHASE", 2_000, CNY, VISA, "bank-b", null, STAND_IN);
            w.row(DAY, "MA", "PURCHASE", 10_000, CNY, UNIONPAY, "bank-a", null, APPROVED);
            UUID voided = w.row(DAY, "MA", "PURCHASE", 250, CNY, UNIONPAY, "bank-a", null, APPROVED);
            w.voidOf(DAY, "MA", "PURCHASE_VOID", 250, UNIONPAY, "bank-a", voided);
            UUID refunded = w.row(DAY, "MA", "PURCHASE", 5_000, CNY, VISA, "bank-b", null, APPROVED);
            w.row(DAY, "MA", "REFUND", 2_000, CNY, VISA, "bank-b", refunded, APPROVED);
            w.row(DAY, "MA", "PURCHASE", 400_000, CNY, UNIONPAY, "bank-a", null, Outcome.declined("51"));
            for (long[] preauthAndCompletion : new long[][] {{20_000, 20_000}, {10_000, 6_000}, {10_000, 11_000}}) {
                UUID hold = w.row(DAY, "MA", "PREAUTH", preauthAndCompletion[0], CNY, UNIONPAY, "bank-a", null, APPROVED);
                w.row(DAY, "MA", "PREAUTH_COMPLETION_ADVICE", preauthAndCompletion[1], CNY, UNIONPAY, "bank-a", hold, APPROVED);
            }
            UUID holdForTomorrow = w.row(DAY, "MA", "PREAUTH", 5_000, CNY, UNIONPAY, "bank-a", null, APPROVED);
            UUID voidedTomorrow = w.row(DAY, "MA", "PURCHASE", 3_000, CNY, UNIONPAY, "bank-a", null, APPROVED);
            UUID refundedTomorrow = w.row(DAY, "MA", "PURCHASE", 7_000, CNY, UNIONPAY, "bank-a", null, APPROVED);
            w.timedOut(DAY, "MA", 1_234, MASTERCARD, "bank-c");
            UUID straddling = w.sent(DAY, "MA", 3_000, "476173******3610", "bank-b");

            UUID yen = w.row(DAY, "MB", "PURCHASE", 123_456, JPY, UNIONPAY, "bank-a", null, APPROVED);
            w.row(DAY, "MB", "PURCHASE", 777, JPY, UNIONPAY, "bank-a", null, APPROVED);
            w.row(DAY, "MB", "REFUND", 23_456, JPY, UNIONPAY, "bank-a", yen, APPROVED);

            UUID kept = w.row(DAY, "MC", "PURCHASE", 1_000, CNY, UNIONPAY, "bank-a", null, APPROVED);
            w.row(DAY, "MC", "PURCHASE", 2_550, CNY, VISA, "bank-b", null, APPROVED);
            w.row(DAY, "MC", "REFUND", 1_000, CNY, UNIONPAY, "bank-a", kept, APPROVED);
            w.row(DAY, "MC", "PURCHASE", 1_100, CNY, UNIONPAY, "bank-a", null, APPROVED);

            w.row(DAY, "MD", "PURCHASE", 9_999, EUR, VISA, "bank-b", null, APPROVED);
            UUID euros = w.row(DAY, "MD", "PURCHASE", 2_500, EUR, VISA, "bank-b", null, APPROVED);
            w.row(DAY, "MD", "REFUND", 1_250, EUR, VISA, "bank-b", euros, APPROVED);

            LocalDate next = w.cutover();
            w.approve(straddling); // answered after the cutover: still a row of day 1

            SettlementReport day = w.settlement.settle(DAY, SettlementProgress.NONE);
            assertThat(day.merchants()).containsExactly(
                    new MerchantTotals("MA", CNY, 11, 68_050, 2, 2_250, 383, 65_417),
                    new MerchantTotals("MB", JPY, 2, 124_233, 1, 23_456, 327, 100_450),
                    new MerchantTotals("MC", CNY, 3, 4_650, 1, 1_000, 58, 3_592),
                    new MerchantTotals("MD", EUR, 2, 12_499, 1, 1_250, 67, 11_182));
            w.files.write(DAY, out, SettlementProgress.NONE);
            Path dayDir = out.resolve(DAY.toString());
            assertThat(feeLines(dayDir.resolve("merchant-MA.csv"))).containsExactlyInAnyOrder(
                    "PURCHASE 800 10", "PURCHASE 2000 50", "PURCHASE 10000 38", "PURCHASE 250 10", "PURCHASE_VOID -250 -10",
                    "PURCHASE 5000 80", "REFUND -2000 -32", "PREAUTH_COMPLETION_ADVICE 20000 76",
                    "PREAUTH_COMPLETION_ADVICE 6000 23", "PREAUTH_COMPLETION_ADVICE 11000 42", "PURCHASE 3000 11",
                    "PURCHASE 7000 27", "PURCHASE 3000 58");
            assertThat(trailers(dayDir.resolve("clearing-bank-a.csv")))
                    .containsExactly("T,156,10,9,59900,1,1000,58900", "T,392,3,2,124233,1,23456,100777");
            assertThat(trailers(dayDir.resolve("clearing-bank-b.csv")))
                    .containsExactly("T,156,5,4,12550,1,2000,10550", "T,978,3,2,12499,1,1250,11249");
            assertThat(dayDir.resolve("clearing-bank-c.csv")).doesNotExist();

            w.voidOf(next, "MA", "PURCHASE_VOID", 3_000, UNIONPAY, "bank-a", voidedTomorrow);
            w.row(next, "MA", "REFUND", 7_000, CNY, UNIONPAY, "bank-a", refundedTomorrow, APPROVED);
            w.row(next, "MA", "PREAUTH_COMPLETION_ADVICE", 4_000, CNY, UNIONPAY, "bank-a", holdForTomorrow, APPROVED);
            UUID reversed = w.row(next, "MA", "PURCHASE", 1_500, CNY, UNIONPAY, "bank-a", null, APPROVED);
            w.reversal(next, "MA", 1_500, UNIONPAY, reversed);
            w.cutover();

            SettlementReport nextDay = w.settlement.settle(next, SettlementProgress.NONE);
            assertThat(nextDay.merchants()).containsExactly(new MerchantTotals("MA", CNY, 1, 4_000, 2, 10_000, -23, -5_977));
            w.files.write(next, out, SettlementProgress.NONE);
            Path nextDir = out.resolve(next.toString());
            assertThat(feeLines(nextDir.resolve("merchant-MA.csv"))).containsExactlyInAnyOrder(
                    "PURCHASE_VOID -3000 -11", "REFUND -7000 -27", "PREAUTH_COMPLETION_ADVICE 4000 15",
                    "PURCHASE 1500 10", "REVERSAL -1500 -10");
            assertThat(trailers(nextDir.resolve("clearing-bank-a.csv"))).containsExactly("T,156,3,1,4000,2,10000,-6000");
        }
    }

    /** "type amount fee" of each D line of a merchant report. */
    private static List<String> feeLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("D,")).map(l -> l.split(",", -1))
                .map(d -> d[4] + " " + d[9] + " " + d[10]).toList();
    }

    private static List<String> trailers(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("T,")).toList();
    }
}
