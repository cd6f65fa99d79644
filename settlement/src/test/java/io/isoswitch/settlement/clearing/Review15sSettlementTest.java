package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** review15s: throwaway tests proving settlement findings (they fail on the code as it stands). */
class Review15sSettlementTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private static final String VISA = "476173******0119";

    @TempDir
    Path out;

    /**
     * An approval whose terminal heard 96 is reversed by the switch (UnknownOutcomes: APPROVED ->
     * REVERSAL_PENDING, reversal queued, acknowledged: REVERSED). The issuer gave the money back and
     * the terminal was told 96, yet settlement counts the row by outcome_state alone: the merchant is
     * paid the sale and the issuer's clearing file presents it.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSaleTheSwitchReversedAfterAnsweringItsTerminal96IsNeitherPaidNorCleared(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.merchant("M1", "none");
            world.sale(DAY, "M1", 5_000, VISA, "bank-b");
            UUID answered96 = world.sale(DAY, "M1", 10_000, VISA, "bank-b");
            world.owedReversalPaid(answered96, "bank-b", 10_000);
            world.cutover();

            SettlementReport report = world.settlement.settle(DAY, SettlementProgress.NONE);
            List<Path> files = world.files.write(DAY, out, SettlementProgress.NONE);

            assertThat(report.merchants()).singleElement().satisfies(m -> assertThat(m.salesMinor()).isEqualTo(5_000));
            Path clearing = files.stream().filter(p -> p.getFileName().toString().equals("clearing-bank-b.csv")).findFirst().orElseThrow();
            assertThat(Files.readAllLines(clearing)).noneMatch(line -> line.startsWith("D,") && line.contains(",10000,"));
        }
    }

    /**
     * Merchant ids are any text up to 32 characters; file names replace all but letters, digits,
     * '-' and '_' with '_', so "SHOP.1" and "SHOP_1" both write merchant-SHOP_1.csv, and the second
     * rename replaces the first merchant's report.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoMerchantsWhoseIdsDifferOnlyInAPunctuationMarkEachKeepTheirReport(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.merchant("SHOP.1", "none");
            world.merchant("SHOP_1", "none");
            world.sale(DAY, "SHOP.1", 1_000, VISA, "bank-b");
            world.sale(DAY, "SHOP_1", 2_000, VISA, "bank-b");
            world.cutover();
            world.settlement.settle(DAY, SettlementProgress.NONE);

            List<Path> files = world.files.write(DAY, out, SettlementProgress.NONE);

            assertThat(files.stream().filter(p -> p.getFileName().toString().startsWith("merchant-")).distinct().count())
                    .isEqualTo(2);
        }
    }
}
