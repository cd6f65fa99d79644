package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.fees.FeePlan;
import io.isoswitch.settlement.fees.FeeRule;
import io.isoswitch.settlement.fees.RefundFeePolicy;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Merchant settlement of a business date on H2 and PostgreSQL, each test in a fresh schema. */
class MerchantSettlementTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private static final String VISA = "476173******0119";
    private static final String UNIONPAY = "622202******0001";
    private static final FeePlan RETAIL = new FeePlan("retail", List.of(
            new FeeRule("*", "*", new BigDecimal("0.60"), 0, 0, 0, FeeRule.ANY),
            new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 50, 0, "156")), RefundFeePolicy.RETURN_PROPORTIONAL);

    @TempDir
    Path out;

    /** A day of one merchant on a fee plan and one without: sales, a partial refund, a reversal, a decline. */
    private static void tradeADay(SettlementWorld world) {
        world.plans(RETAIL);
        world.merchant("M1", "retail");
        world.merchant("M2", "no-such-plan");
        UUID big = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
        world.sale(DAY, "M1", 20_000, UNIONPAY, "bank-a");
        world.refund(DAY, "M1", 2_500, VISA, "bank-b", big);
        world.declined(DAY, "M1", 5_000, VISA, "bank-b");
        UUID reversed = world.sale(DAY, "M1", 3_000, VISA, "bank-b");
        world.reversal(DAY, "M1", 3_000, VISA, reversed);
        world.sale(DAY, "M2", 7_000, VISA, "bank-b");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void settlesEachMerchantsSalesRefundsAndFeesAndTheSecondRunChangesNothing(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            tradeADay(world);
            world.cutover();

            SettlementReport first = world.settlement.settle(DAY, SettlementProgress.NONE);

            long bigFee = RETAIL.feeMinor("visa", "purchase", "156", 10_000);
            long fees = bigFee + RETAIL.feeMinor("unionpay", "purchase", "156", 20_000)
                    - RETAIL.returnedFeeMinor("visa", "purchase", "156", 10_000, bigFee, 2_500);
            assertThat(fees).isEqualTo(135 + 120 - 34);
            assertThat(first.merchants()).containsExactly(
                    new MerchantTotals("M1", "156", 2, 30_000, 1, 2_500, fees, 30_000 - 2_500 - fees),
                    new MerchantTotals("M2", "156", 1, 7_000, 0, 0, 0, 7_000));
            assertThat(first.transactions()).isEqualTo(7); // every resolved row, the declined one too
            assertThat(first.corrections()).isZero();
            assertThat(first.alreadySettled()).isFalse();

            long settledBefore = world.queryLong("SELECT COUNT(*) FROM (" + world.settledRows(DAY) + ") s");
            SettlementReport second = world.settlement.settle(DAY, SettlementProgress.NONE);
            assertThat(second.alreadySettled()).isTrue();
            assertThat(second.merchants()).isEqualTo(first.merchants());
            assertThat(second.settledAt()).isEqualTo(first.settledAt());
            assertThat(second.transactions()).isEqualTo(first.transactions());
            assertThat(world.queryLong("SELECT COUNT(*) FROM (" + world.settledRows(DAY) + ") s")).isEqualTo(settledBefore);
            assertThat(world.queryLong("SELECT COUNT(*) FROM merchant_settlement")).isEqualTo(2);
        }
    }

    /**
     * Regression: a plan's minimum and cap were minor units of no currency in particular, so a cap
     * of 20.00 yuan (2 000) held a fee in yen at 2 000 yen and one in dinars at 2.000 dinars. Each
     * currency now gets its own rule (or the percentage of any currency), in SQL as in Java.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void eachCurrencyIsPricedByTheRulesWrittenInItsMinorUnits(Backend backend) throws Exception {
        // as FeePlanTest.MULTI: one price list written for CNY, JPY and KWD, and a percentage for the rest
        FeePlan multi = new FeePlan("multi", List.of(
                new FeeRule("*", "*", new BigDecimal("0.60")),
                new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 10, 2_000, "CNY"),
                new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 2, 400, "392"),
                new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 4, 860, "KWD")), RefundFeePolicy.RETURN_PROPORTIONAL);
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(multi);
            world.merchant("M1", "multi");
            Map<String, long[]> sales = new java.util.TreeMap<>(Map.of("156", new long[] {100_000_000, 1_000},
                    "392", new long[] {1_000_000, 100}, "414", new long[] {1_000_000, 2_000}, "840", new long[] {100_000_000, 5_000}));
            Map<String, Long> expected = new HashMap<>();
            sales.forEach((currency, amounts) -> {
                UUID big = world.saleIn(DAY, "M1", amounts[0], currency, UNIONPAY, "bank-a");
                world.saleIn(DAY, "M1", amounts[1], currency, UNIONPAY, "bank-a");
                world.refundIn(DAY, "M1", amounts[0] / 4, currency, UNIONPAY, "bank-a", big);
                long bigFee = multi.feeMinor("unionpay", "purchase", currency, amounts[0]);
                expected.put(currency, bigFee + multi.feeMinor("unionpay", "purchase", currency, amounts[1])
                        - multi.returnedFeeMinor("unionpay", "purchase", currency, amounts[0], bigFee, amounts[0] / 4));
            });
            world.cutover();

            SettlementReport report = world.settlement.settle(DAY, SettlementProgress.NONE);

            assertThat(expected).isEqualTo(Map.of("156", 2_000L + 10 - 500, "392", 400L + 2 - 100, "414", 860L + 8 - 215,
                    "840", 600_000L + 30 - 150_000));
            Map<String, Long> settled = new HashMap<>();
            report.merchants().forEach(m -> settled.put(m.currency(), m.feeMinor()));
            assertThat(settled).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void refusesTheOpenDateAndDatesOutOfOrder(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            assertThatThrownBy(() -> world.settlement.settle(DAY, SettlementProgress.NONE))
                    .isInstanceOf(SettlementException.class).hasMessageContaining("still open");
            world.cutover();
            world.cutover();
            world.settlement.settle(DAY.plusDays(1), SettlementProgress.NONE);
            assertThatThrownBy(() -> world.settlement.settle(DAY, SettlementProgress.NONE))
                    .isInstanceOf(SettlementException.class).hasMessageContaining("in order");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLateReversalOfASettledDateAndALateAnswerGoIntoTheNextDate(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(RETAIL);
            world.merchant("M1", "retail");
            UUID sale = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            UUID waiting = world.sent(DAY, "M1", 6_000, VISA, "bank-b");
            LocalDate next = world.cutover();
            SettlementReport day = world.settlement.settle(DAY, SettlementProgress.NONE);
            assertThat(day.merchants()).containsExactly(new MerchantTotals("M1", "156", 1, 10_000, 0, 0, 135, 10_000 - 135));

            // after the day was settled: its sale is reversed (the switch dates the reversal on the
            // sale's business date), and the request that was waiting is approved
            world.reversal(DAY, "M1", 10_000, VISA, sale);
            world.approve(waiting);
            world.sale(next, "M1", 4_000, VISA, "bank-b");
            world.cutover();
            SettlementReport nextDay = world.settlement.settle(next, SettlementProgress.NONE);

            long fee4000 = RETAIL.feeMinor("visa", "purchase", "156", 4_000);
            long fee6000 = RETAIL.feeMinor("visa", "purchase", "156", 6_000);
            assertThat(nextDay.corrections()).isEqualTo(2);
            assertThat(nextDay.merchants()).containsExactly(new MerchantTotals("M1", "156", 1, 4_000 + 6_000 - 10_000 + 0, 0, 0,
                    fee4000 + fee6000 - 135, 4_000 + 6_000 - 10_000 - (fee4000 + fee6000 - 135)));
            assertThat(world.settlement.report(DAY).orElseThrow().merchants()).isEqualTo(day.merchants());
        }
    }

    /**
     * A fee of 3 on a sale of 1000 (0.30 %), refunded 500 and 500: each half's share of the fee is
     * 1.5, which rounded on its own (half-even) is 2, so the merchant got 4 back of the 3 it paid.
     * The refunds of a sale, here over two runs and with one of them reversed by its terminal,
     * give back the fee once, on either policy that returns it.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSaleRefundedInHalvesOverTwoDatesGivesItsFeeBackOnceAndNoMore(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            FeeRule rule = new FeeRule("*", "*", new BigDecimal("0.30"), 0, 0, 0, FeeRule.ANY);
            world.plans(new FeePlan("proportional", List.of(rule), RefundFeePolicy.RETURN_PROPORTIONAL),
                    new FeePlan("percentage", List.of(rule), RefundFeePolicy.RETURN_PERCENTAGE_ONLY));
            world.merchant("M1", "proportional");
            world.merchant("M2", "percentage");
            Map<String, UUID[]> sales = new HashMap<>();
            for (String merchant : List.of("M1", "M2")) {
                UUID refundedOverTwoDates = world.sale(DAY, merchant, 1_000, VISA, "bank-b");
                world.refund(DAY, merchant, 500, VISA, "bank-b", refundedOverTwoDates);
                UUID withAReversedRefund = world.sale(DAY, merchant, 1_000, VISA, "bank-b");
                UUID reversed = world.refund(DAY, merchant, 500, VISA, "bank-b", withAReversedRefund);
                world.reversal(DAY, merchant, 500, VISA, reversed);
                world.refund(DAY, merchant, 500, VISA, "bank-b", withAReversedRefund);
                sales.put(merchant, new UUID[] {refundedOverTwoDates, withAReversedRefund});
            }
            LocalDate next = world.cutover();
            SettlementReport day = world.settlement.settle(DAY, SettlementProgress.NONE);
            for (String merchant : List.of("M1", "M2")) {
                world.refund(next, merchant, 500, VISA, "bank-b", sales.get(merchant)[0]);
                world.refund(next, merchant, 500, VISA, "bank-b", sales.get(merchant)[1]);
            }
            world.cutover();
            SettlementReport nextDay = world.settlement.settle(next, SettlementProgress.NONE);

            Map<String, long[]> feeAndNet = new HashMap<>();
            for (MerchantTotals m : Stream.concat(day.merchants().stream(), nextDay.merchants().stream()).toList()) {
                long[] sums = feeAndNet.computeIfAbsent(m.merchantId(), k -> new long[2]);
                sums[0] += m.feeMinor();
                sums[1] += m.netMinor();
            }
            // two sales of 1000 paid 3 each; both were refunded in full: no fee and nothing to pay
            assertThat(feeAndNet).containsOnlyKeys("M1", "M2");
            assertThat(feeAndNet.get("M1")).as("M1 fee, net").containsExactly(0, 0);
            assertThat(feeAndNet.get("M2")).as("M2 fee, net").containsExactly(0, 0);
        }
    }

    /**
     * Regression: a refund still waiting for its issuer when its run began is deferred to the next
     * run, and was priced there as if no refund of its sale came before it (it was journaled
     * first), while the refund settled in the earlier run had been priced without it too: each got
     * half of a fee of 3, 1.5 rounded to 2, and the merchant got 4 back of the 3 it paid.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRefundDeferredToTheNextRunCountsTheRefundsSettledBeforeIt(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            FeeRule rule = new FeeRule("*", "*", new BigDecimal("0.30"));
            world.plans(new FeePlan("proportional", List.of(rule), RefundFeePolicy.RETURN_PROPORTIONAL),
                    new FeePlan("percentage", List.of(rule), RefundFeePolicy.RETURN_PERCENTAGE_ONLY));
            world.merchant("M1", "proportional");
            world.merchant("M2", "percentage");
            List<UUID> waiting = new java.util.ArrayList<>();
            for (String merchant : List.of("M1", "M2")) {
                UUID sale = world.sale(DAY, merchant, 1_000, VISA, "bank-b");
                waiting.add(world.sentRefund(DAY, merchant, 500, VISA, "bank-b", sale));
                world.refund(DAY, merchant, 500, VISA, "bank-b", sale);
            }
            LocalDate next = world.cutover();
            SettlementReport day = world.settlement.settle(DAY, SettlementProgress.NONE);
            waiting.forEach(world::approve);
            world.cutover();
            SettlementReport nextDay = world.settlement.settle(next, SettlementProgress.NONE);

            Map<String, long[]> feeAndNet = new HashMap<>();
            for (MerchantTotals m : Stream.concat(day.merchants().stream(), nextDay.merchants().stream()).toList()) {
                long[] sums = feeAndNet.computeIfAbsent(m.merchantId(), k -> new long[2]);
                sums[0] += m.feeMinor();
                sums[1] += m.netMinor();
            }
            // a sale of 1000 paid 3 and was refunded in full, over two runs: no fee and nothing to pay
            assertThat(feeAndNet.get("M1")).as("M1 fee, net").containsExactly(0, 0);
            assertThat(feeAndNet.get("M2")).as("M2 fee, net").containsExactly(0, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRowStillSentOverTwoRunsAndTheNextDatesRowsWrittenBeforeARunAreEachSettledOnce(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(RETAIL);
            world.merchant("M1", "retail");
            UUID waiting = world.sent(DAY, "M1", 6_000, VISA, "bank-b");
            LocalDate second = world.cutover();
            world.sale(second, "M1", 4_000, VISA, "bank-b"); // traffic of the open date before DAY's run
            SettlementReport day = world.settlement.settle(DAY, SettlementProgress.NONE);
            assertThat(day.transactions()).isZero();
            assertThat(day.merchants()).isEmpty();

            LocalDate third = world.cutover();
            SettlementReport secondRun = world.settlement.settle(second, SettlementProgress.NONE);
            assertThat(secondRun.transactions()).isEqualTo(1); // the sale of its own date; DAY's row still waits
            assertThat(secondRun.corrections()).isZero();

            world.approve(waiting);
            world.cutover();
            SettlementReport thirdRun = world.settlement.settle(third, SettlementProgress.NONE);
            assertThat(thirdRun.transactions()).isEqualTo(1);
            assertThat(thirdRun.corrections()).isEqualTo(1);
            long fee6000 = RETAIL.feeMinor("visa", "purchase", "156", 6_000);
            assertThat(thirdRun.merchants()).containsExactly(new MerchantTotals("M1", "156", 1, 6_000, 0, 0, fee6000, 6_000 - fee6000));
            assertThat(world.settlement.settle(second, SettlementProgress.NONE).transactions()).isEqualTo(1);
            assertThat(world.queryLong("SELECT COUNT(*) FROM journal WHERE settlement_date IS NOT NULL")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void fileTotalsAreTheSumsOfTheirRecordsAndWritingAgainGivesTheSameBytes(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            tradeADay(world);
            world.cutover();
            SettlementReport report = world.settlement.settle(DAY, SettlementProgress.NONE);

            List<Path> files = world.files.write(DAY, out, SettlementProgress.NONE);
            Map<Path, byte[]> firstBytes = new HashMap<>();
            for (Path file : files) {
                firstBytes.put(file, Files.readAllBytes(file));
            }
            assertThat(files).extracting(p -> p.getFileName().toString())
                    .containsExactly("merchant-M1.csv", "merchant-M2.csv", "clearing-bank-a.csv", "clearing-bank-b.csv");

            long clearedNet = 0;
            for (Path file : files) {
                List<String> lines = Files.readAllLines(file);
                assertThat(lines).noneMatch(line -> line.matches(".*\\d{13,19}.*"));
                List<String[]> details = lines.stream().filter(l -> l.startsWith("D,")).map(l -> l.split(",", -1)).toList();
                List<String[]> trailers = lines.stream().filter(l -> l.startsWith("T,")).map(l -> l.split(",", -1)).toList();
                assertThat(trailers).hasSize(1);
                // local_time keeps its seconds on a whole minute (LocalDateTime.toString() wrote 10:00)
                int localTime = file.getFileName().toString().startsWith("merchant-") ? 2 : 3;
                assertThat(details).extracting(d -> d[localTime]).allMatch(t -> t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}"));
                String[] t = trailers.get(0);
                if (file.getFileName().toString().startsWith("merchant-")) {
                    long amounts = details.stream().mapToLong(d -> Long.parseLong(d[9])).sum();
                    long fees = details.stream().mapToLong(d -> Long.parseLong(d[10])).sum();
                    long nets = details.stream().mapToLong(d -> Long.parseLong(d[11])).sum();
                    assertThat(Long.parseLong(t[2])).isEqualTo(details.size());
                    assertThat(Long.parseLong(t[4]) - Long.parseLong(t[6])).isEqualTo(amounts);
                    assertThat(Long.parseLong(t[7])).isEqualTo(fees);
                    assertThat(Long.parseLong(t[8])).isEqualTo(nets).isEqualTo(amounts - fees);
                    String merchant = file.getFileName().toString().replace("merchant-", "").replace(".csv", "");
                    MerchantTotals totals = report.merchants().stream().filter(m -> m.merchantId().equals(merchant)).findFirst().orElseThrow();
                    assertThat(new long[] {Long.parseLong(t[3]), Long.parseLong(t[4]), Long.parseLong(t[5]), Long.parseLong(t[6]),
                            Long.parseLong(t[7]), Long.parseLong(t[8])})
                            .containsExactly(totals.salesCount(), totals.salesMinor(), totals.refundCount(), totals.refundMinor(),
                                    totals.feeMinor(), totals.netMinor());
                } else {
                    long debits = details.stream().mapToLong(d -> Long.parseLong(d[9])).filter(a -> a >= 0).sum();
                    long credits = -details.stream().mapToLong(d -> Long.parseLong(d[9])).filter(a -> a < 0).sum();
                    assertThat(Long.parseLong(t[2])).isEqualTo(details.size());
                    assertThat(Long.parseLong(t[4])).isEqualTo(debits);
                    assertThat(Long.parseLong(t[6])).isEqualTo(credits);
                    assertThat(Long.parseLong(t[3]) + Long.parseLong(t[5])).isEqualTo(details.size());
                    assertThat(Long.parseLong(t[7])).isEqualTo(debits - credits);
                    clearedNet += debits - credits;
                }
            }
            // what the issuers clear is what the merchants are paid plus their fees
            assertThat(clearedNet).isEqualTo(report.merchants().stream().mapToLong(m -> m.netMinor() + m.feeMinor()).sum());

            List<Path> again = world.files.write(DAY, out, SettlementProgress.NONE);
            assertThat(again).isEqualTo(files);
            for (Path file : again) {
                assertThat(Files.readAllBytes(file)).as(file.toString()).isEqualTo(firstBytes.get(file));
            }
            try (Stream<Path> left = Files.list(out.resolve(DAY.toString()))) {
                assertThat(left).noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));
            }
        }
    }

    /**
     * Regression: a settle killed while writing left its temporary file (hidden, a random name
     * each) beside the clearing file for good, and every killed run added one. The next settle of
     * the directory removes those its writers left an hour or more ago, not a younger one (another
     * settle of the date may be writing it now) nor any other file.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void theNextSettleRemovesTheTemporaryFilesAKilledSettleLeftButNotAYoungOne(Backend backend) throws Exception {
        Path directory = Files.createDirectories(out.resolve(DAY.toString()));
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Path killed = Files.writeString(directory.resolve(".clearing-bank-b.csv.0123456789abcdef.tmp"), "D,half");
        Files.setLastModifiedTime(killed, twoHoursAgo);
        Path live = Files.writeString(directory.resolve(".clearing-bank-b.csv.fedcba9876543210.tmp"), "D,being written");
        Path notOurs = Files.writeString(directory.resolve(".notes.tmp"), "an operator's");
        Files.setLastModifiedTime(notOurs, twoHoursAgo);
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            tradeADay(world);
            world.cutover();
            world.settlement.settle(DAY, SettlementProgress.NONE);
            world.files.write(DAY, out, SettlementProgress.NONE);
        }
        assertThat(killed).doesNotExist();
        assertThat(live).exists();
        assertThat(notOurs).exists();
        assertThat(directory.resolve("clearing-bank-b.csv")).exists();
    }

    /**
     * Regression: a sale voided or reversed on the day it was made went into its issuer's clearing
     * file twice, as a debit and as a credit (a void under its own RRN, which the issuer never saw:
     * the void reached it as a reversal of the sale), though the issuer had already undone it
     * online; a clearing file presents what stands. An undo whose sale an earlier run cleared must
     * still be presented, as a credit, or the issuer keeps paying for the sale; it went in under the
     * void's own RRN and STAN, which the issuer never saw, instead of the sale's.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aClearingFileLeavesOutWhatWasUndoneInTheSameRunAndCreditsWhatAnEarlierRunCleared(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(RETAIL);
            world.merchant("M1", "retail");
            world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            UUID voided = world.sale(DAY, "M1", 250, VISA, "bank-b");
            world.voidOf(DAY, "M1", "PURCHASE_VOID", 250, VISA, "bank-b", voided);
            UUID reversed = world.sale(DAY, "M1", 3_000, VISA, "bank-b");
            world.reversal(DAY, "M1", 3_000, VISA, reversed);
            UUID refunded = world.sale(DAY, "M1", 5_000, VISA, "bank-b");
            world.refund(DAY, "M1", 2_000, VISA, "bank-b", refunded);
            UUID hold = world.preauth(DAY, "M1", 8_000, VISA, "bank-b");
            UUID completion = world.completion(DAY, "M1", 6_000, VISA, "bank-b", hold);
            world.voidOf(DAY, "M1", "PREAUTH_COMPLETION_VOID", 6_000, VISA, "bank-b", completion);
            // a void its terminal reversed: the sale stands
            UUID kept = world.sale(DAY, "M1", 700, VISA, "bank-b");
            UUID undoneVoid = world.voidOf(DAY, "M1", "PURCHASE_VOID", 700, VISA, "bank-b", kept);
            world.reversal(DAY, "M1", 700, VISA, undoneVoid);
            UUID voidedTomorrow = world.sale(DAY, "M1", 3_300, VISA, "bank-b");
            LocalDate next = world.cutover();
            SettlementReport day = world.settlement.settle(DAY, SettlementProgress.NONE);

            Path dayFile = world.files.write(DAY, out, SettlementProgress.NONE).stream()
                    .filter(p -> p.getFileName().toString().equals("clearing-bank-b.csv")).findFirst().orElseThrow();
            assertThat(clearingRecords(dayFile)).containsExactlyInAnyOrder(
                    "PURCHASE 10000", "PURCHASE 5000", "REFUND -2000", "PURCHASE 700", "PURCHASE 3300");
            assertThat(trailer(dayFile)).isEqualTo("T,156,5,4,19000,1,2000,17000");
            assertThat(day.merchants()).singleElement()
                    .satisfies(m -> assertThat(m.netMinor() + m.feeMinor()).isEqualTo(17_000));

            world.voidOf(next, "M1", "PURCHASE_VOID", 3_300, VISA, "bank-b", voidedTomorrow);
            world.cutover();
            SettlementReport nextDay = world.settlement.settle(next, SettlementProgress.NONE);
            Path nextFile = world.files.write(next, out, SettlementProgress.NONE).stream()
                    .filter(p -> p.getFileName().toString().equals("clearing-bank-b.csv")).findFirst().orElseThrow();
            assertThat(clearingRecords(nextFile)).containsExactly("PURCHASE_VOID -3300");
            // under the references the issuer knows: the sale's RRN and STAN, which the void's reversal named
            assertThat(references(nextFile, "PURCHASE_VOID")).isEqualTo(references(dayFile, "PURCHASE 3300"));
            assertThat(trailer(nextFile)).isEqualTo("T,156,1,0,0,1,3300,-3300");
            assertThat(nextDay.merchants()).singleElement()
                    .satisfies(m -> assertThat(m.netMinor() + m.feeMinor()).isEqualTo(-3_300));
        }
    }

    /** "type amount" of each D record of a clearing file. */
    private static List<String> clearingRecords(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("D,")).map(l -> l.split(",", -1))
                .map(d -> d[6] + " " + d[9]).toList();
    }

    /** "rrn stan" of the D record of a clearing file whose "type amount" (or type) starts with {@code record}. */
    private static String references(Path file, String record) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("D,")).map(l -> l.split(",", -1))
                .filter(d -> (d[6] + " " + d[9]).startsWith(record)).map(d -> d[1] + " " + d[2]).findFirst().orElseThrow();
    }

    private static String trailer(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("T,")).collect(java.util.stream.Collectors.joining("\n"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFailedWriteLeavesNoHalfFileAndTheEarlierVersionInPlace(Backend backend) throws IOException {
        Path target = out.resolve("x").resolve("merchant-M1.csv");
        try (AtomicFile file = new AtomicFile(target)) {
            file.line("first");
            file.commit();
        }
        try (AtomicFile file = new AtomicFile(target)) {
            file.line("second, never committed");
        }
        assertThat(Files.readAllLines(target)).containsExactly("first");
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertThat(left).containsExactly(target);
        }
        assertThat(backend).isNotNull();
    }
}
