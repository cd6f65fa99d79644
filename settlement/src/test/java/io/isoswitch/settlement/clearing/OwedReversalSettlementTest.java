package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.audit.ClearingEntry;
import io.isoswitch.settlement.audit.JournalAudit;
import io.isoswitch.settlement.fees.FeePlan;
import io.isoswitch.settlement.fees.FeeRule;
import io.isoswitch.settlement.fees.RefundFeePolicy;
import io.isoswitch.settlement.journal.TransactionState;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Settlement of approvals the switch reversed on its own after their terminal heard 96 (the
 * reversal owed when an approval's outcome could not be written: {@code UnknownOutcomes}). The
 * terminal was told "not approved" and the issuer is given the money back, so the merchant must
 * not be paid and the issuer must not be presented the sale. Regression (review15s HIGH 1): the
 * record went APPROVED -> REVERSAL_PENDING -> REVERSED with no row naming it, and settlement, which
 * counts rows by the issuer's answer ({@code outcome_state}), paid and cleared it.
 */
class OwedReversalSettlementTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private static final String VISA = "476173******0119";
    private static final FeePlan RETAIL = new FeePlan("retail", List.of(
            new FeeRule("*", "*", new BigDecimal("0.60"), 0, 0, 0, FeeRule.ANY),
            new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 50, 0, "156")), RefundFeePolicy.RETURN_PROPORTIONAL);

    @TempDir
    Path out;

    private List<String> clearingLines(SettlementWorld world, LocalDate date, String issuer) throws Exception {
        List<Path> files = world.files.write(date, out.resolve(date.toString()), SettlementProgress.NONE);
        Path clearing = files.stream().filter(p -> p.getFileName().toString().equals("clearing-" + issuer + ".csv"))
                .findFirst().orElseThrow();
        return Files.readAllLines(clearing).stream().filter(line -> line.startsWith("D,")).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSaleARefundAndAStandInSaleTheSwitchReversedAfterTheirTerminalsHeard96AreNeitherPaidNorCleared(Backend backend)
            throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.merchant("M1", "none");
            UUID kept = world.sale(DAY, "M1", 5_000, VISA, "bank-b");
            UUID sale = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            UUID standIn = world.standInSale(DAY, "M1", 7_000, VISA, "bank-b");
            UUID refund = world.refund(DAY, "M1", 1_000, VISA, "bank-b", kept);
            world.switchReverses(sale, TransactionState.APPROVED, "bank-b", 10_000);
            world.switchReverses(standIn, TransactionState.STAND_IN_APPROVED, "bank-b", 7_000);
            world.switchReverses(refund, TransactionState.APPROVED, "bank-b", 1_000);
            world.reversalAcknowledged(sale);
            world.reversalAcknowledged(standIn);
            world.reversalAcknowledged(refund);
            world.cutover();

            SettlementReport report = world.settlement.settle(DAY, SettlementProgress.NONE);

            assertThat(report.merchants()).containsExactly(new MerchantTotals("M1", "156", 1, 5_000, 0, 0, 0, 5_000));
            String rrn = world.rrnOf(kept);
            assertThat(clearingLines(world, DAY, "bank-b")).singleElement()
                    .satisfies(line -> assertThat(line).contains("," + rrn + ",").contains(",5000,"));
        }
    }

    /**
     * The database away for days: the reversal is owed until it takes writes again, after the sale's
     * date was settled (the sale paid, less its fee). The next run takes it back as a correction,
     * the fee given back as for a terminal's late reversal, and presents the issuer a credit under
     * the sale's RRN; the settled date's report stays as it was.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSaleTheSwitchReversedAfterItsDateWasSettledIsTakenBackWithItsFeeInTheNextRun(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(RETAIL);
            world.merchant("M1", "retail");
            UUID sale = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            LocalDate next = world.cutover();
            SettlementReport day = world.settlement.settle(DAY, SettlementProgress.NONE);
            assertThat(day.merchants()).containsExactly(new MerchantTotals("M1", "156", 1, 10_000, 0, 0, 135, 10_000 - 135));

            world.switchReverses(sale, TransactionState.APPROVED, "bank-b", 10_000);
            world.reversalAcknowledged(sale);
            world.sale(next, "M1", 4_000, VISA, "bank-b");
            world.cutover();
            SettlementReport nextDay = world.settlement.settle(next, SettlementProgress.NONE);

            long fee4000 = RETAIL.feeMinor("visa", "purchase", "156", 4_000);
            assertThat(nextDay.corrections()).isEqualTo(1);
            assertThat(nextDay.merchants()).containsExactly(new MerchantTotals("M1", "156", 0, 4_000 - 10_000, 0, 0,
                    fee4000 - 135, 4_000 - 10_000 - (fee4000 - 135)));
            String rrn = world.rrnOf(sale);
            assertThat(clearingLines(world, next, "bank-b")).filteredOn(line -> line.contains("," + rrn + ","))
                    .singleElement().satisfies(line -> assertThat(line).contains(",-10000,"));
            assertThat(world.settlement.report(DAY).orElseThrow().merchants()).isEqualTo(day.merchants());
        }
    }

    /**
     * A reversal the issuer has not acknowledged when the date is settled (its link down; store and
     * forward repeats it until it is): settled as reversed, as a terminal's reversal is once queued.
     * The terminal was told 96 and the switch is bound to deliver the reversal, so paying the
     * merchant and presenting the sale would only have to be undone; its acknowledgement later
     * changes nothing in any run.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSaleWhoseReversalTheIssuerHasNotAcknowledgedAtSettlementIsNeitherPaidNorClearedNorLaterCorrected(Backend backend)
            throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.plans(RETAIL);
            world.merchant("M1", "retail");
            world.sale(DAY, "M1", 5_000, VISA, "bank-b");
            UUID pending = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            world.switchReverses(pending, TransactionState.APPROVED, "bank-b", 10_000);
            LocalDate next = world.cutover();

            SettlementReport day = world.settlement.settle(DAY, SettlementProgress.NONE);
            long fee5000 = RETAIL.feeMinor("visa", "purchase", "156", 5_000);
            assertThat(day.merchants()).containsExactly(new MerchantTotals("M1", "156", 1, 5_000, 0, 0, fee5000, 5_000 - fee5000));
            String rrn = world.rrnOf(pending);
            assertThat(clearingLines(world, DAY, "bank-b")).noneMatch(line -> line.contains("," + rrn + ","));

            world.reversalAcknowledged(pending);
            world.cutover();
            SettlementReport nextDay = world.settlement.settle(next, SettlementProgress.NONE);
            assertThat(nextDay.corrections()).isZero();
            assertThat(nextDay.merchants()).isEmpty();
        }
    }

    /**
     * The switch's reversal row carries no issuer leg of its own: the audit reads the same requests
     * to the issuer as before (the sale, now REVERSED), and agrees with an issuer that booked the
     * sale and its reversal.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void theAuditSeesTheSameRequestsAndAgreesWithAnIssuerThatBookedTheReversal(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.merchant("M1", "none");
            UUID kept = world.sale(DAY, "M1", 5_000, VISA, "bank-b");
            UUID sale = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            world.switchReverses(sale, TransactionState.APPROVED, "bank-b", 10_000);
            world.reversalAcknowledged(sale);

            JournalAudit audit = new JournalAudit(world.database().database());
            assertThat(audit.issuers(DAY).join()).isEqualTo(Map.of("bank-b", 2L));
            List<ClearingEntry> ledger = List.of(
                    new ClearingEntry(1, ClearingEntry.Kind.DEBIT, 5_000, 156, world.rrnOf(kept), "000001", 0),
                    new ClearingEntry(2, ClearingEntry.Kind.DEBIT, 10_000, 156, world.rrnOf(sale), "000002", 0),
                    new ClearingEntry(3, ClearingEntry.Kind.CREDIT, 10_000, 156, world.rrnOf(sale), "000002", 2));
            assertThat(audit.compare(DAY, "bank-b", ledger).join()).isEmpty();
        }
    }
}
