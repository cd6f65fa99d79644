package io.isoswitch.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.characters;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import io.isoswitch.settlement.batch.BatchTotals;
import io.isoswitch.sim.terminal.CurrencyTotals;
import io.isoswitch.sim.terminal.SettlementTotals;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SettlementFieldsTest {
    private static final String PAN = "4761739001010119";
    private static final String RECORD = "00" + "000042" + "0000" + PAN + "000000001234";

    @Test
    void readsTheTotalsTheTerminalSimulatorWrites() {
        String field48 = SettlementTotals.format(new CurrencyTotals(156, 3, 4_000, 1, 500), '0');

        assertThat(SettlementFields.totals(field48)).isEqualTo(new BatchTotals(3, 4_000, 1, 500));
    }

    @Test
    void addsTheForeignHalfToTheDomesticAndReadsADomesticHalfAlone() {
        String domestic = "000000001000" + "002" + "000000000100" + "001" + "0";
        String foreign = "000000000050" + "001" + "000000000000" + "000" + "0";

        assertThat(SettlementFields.totals(domestic + foreign)).isEqualTo(new BatchTotals(3, 1_050, 1, 100));
        assertThat(SettlementFields.totals(domestic)).isEqualTo(new BatchTotals(2, 1_000, 1, 100));
    }

    @Test
    void theAnswerReadsBackInTheSimulatorWithItsResultDigit() {
        String answer = SettlementFields.answerTotals(new BatchTotals(1_002, 7_000, 4, 90), '2');

        assertThat(answer).hasSize(62);
        assertThat(SettlementTotals.result(answer)).isEqualTo('2');
        assertThat(SettlementTotals.parse(answer, 156)).isEqualTo(new CurrencyTotals(156, 2, 7_000, 4, 90));
    }

    @Test
    void countsAgreeAsThreeDigitsCarryThem() {
        assertThat(SettlementFields.agree(new BatchTotals(1_002, 7_000, 4, 90), new BatchTotals(2, 7_000, 4, 90))).isTrue();
        assertThat(SettlementFields.agree(new BatchTotals(3, 7_000, 4, 90), new BatchTotals(2, 7_000, 4, 90))).isFalse();
        assertThat(SettlementFields.agree(new BatchTotals(2, 7_001, 4, 90), new BatchTotals(2, 7_000, 4, 90))).isFalse();
    }

    @Test
    void readsBatchNumbersAndUploadCodesOfBothDialects() {
        assertThat(SettlementFields.batchNumber("00000123201", true)).isEqualTo(123);
        assertThat(SettlementFields.batchNumber("000123201", false)).isEqualTo(123);
        assertThat(SettlementFields.uploadCode("00000123201", true)).isEqualTo(SettlementFields.UploadCode.DETAIL);
        assertThat(SettlementFields.uploadCode("000123202", false)).isEqualTo(SettlementFields.UploadCode.END);
        assertThat(SettlementFields.uploadCode("000123207", false)).isEqualTo(SettlementFields.UploadCode.END);
        SettlementFields.requireSettlementCode("00000123201", true);
        SettlementFields.requireSettlementCode("000123201", false);
        SettlementFields.requireSettlementCode("000123", false);
    }

    @Test
    void readsUploadRecordsAndTheirCount() {
        List<UploadedRecord> records = SettlementFields.records("02" + RECORD + RECORD.replace("000042", "000043"));

        assertThat(records).extracting(UploadedRecord::stan, UploadedRecord::pan, UploadedRecord::amountMinor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("000042", PAN, 1_234L),
                        org.assertj.core.groups.Tuple.tuple("000043", PAN, 1_234L));
        assertThat(records.getFirst().toString()).doesNotContain(PAN).contains("476173******0119");
        assertThat(SettlementFields.uploadedCount("0009")).isEqualTo(9);
    }

    @Test
    void rejectsFieldsThatDoNotReadAsTheirLayoutSays() {
        String totals = "0".repeat(62);
        List<Runnable> bad = List.of(
                () -> SettlementFields.totals(totals.substring(1)),
                () -> SettlementFields.totals(totals.substring(0, 61) + "x"),
                () -> SettlementFields.totals(""),
                () -> SettlementFields.batchNumber("00000000201", true),
                () -> SettlementFields.batchNumber("0012", true),
                () -> SettlementFields.batchNumber("00a00001201", true),
                () -> SettlementFields.uploadCode("000001299", false),
                () -> SettlementFields.uploadCode("000001", false),
                () -> SettlementFields.requireSettlementCode("00000001202", true),
                () -> SettlementFields.requireSettlementCode("00000001000", true),
                () -> SettlementFields.requireSettlementCode("0000000120", true),
                () -> SettlementFields.requireSettlementCode("000001999", false),
                () -> SettlementFields.records("00"),
                () -> SettlementFields.records("09" + RECORD.repeat(9)),
                () -> SettlementFields.records("02" + RECORD),
                () -> SettlementFields.records("01" + RECORD.replace("0000" + PAN, "0".repeat(20))),
                () -> SettlementFields.uploadedCount("12345"),
                () -> SettlementFields.uploadedCount("12a4"));
        for (Runnable read : bad) {
            assertThatThrownBy(read::run).isInstanceOf(BatchFormatException.class).hasMessageStartingWith("field ");
        }
        assertThatThrownBy(() -> SettlementFields.records("01" + RECORD.replace("0000" + PAN, "0000" + PAN.substring(0, 15) + "x")))
                .isInstanceOf(BatchFormatException.class).hasMessageNotContaining(PAN.substring(0, 15));
    }

    /** Every read of every field: returns, or throws the typed format error (answered 30); nothing else. */
    private static void readsOrRefuses(String text) {
        List<Consumer<String>> reads = List.of(SettlementFields::totals, SettlementFields::records,
                SettlementFields::uploadedCount, t -> SettlementFields.batchNumber(t, true),
                t -> SettlementFields.batchNumber(t, false), t -> SettlementFields.uploadCode(t, true),
                t -> SettlementFields.uploadCode(t, false), t -> SettlementFields.requireSettlementCode(t, true),
                t -> SettlementFields.requireSettlementCode(t, false));
        for (Consumer<String> read : reads) {
            try {
                read.accept(text);
            } catch (BatchFormatException expected) {
                assertThat(expected.getMessage()).startsWith("field ");
            }
        }
    }

    @Test
    void anyTextEitherReadsOrIsAFormatError() {
        qt().withExamples(5_000).forAll(strings().allPossible().ofLengthBetween(0, 400)).checkAssert(SettlementFieldsTest::readsOrRefuses);
        qt().withExamples(5_000).forAll(strings().numeric(), integers().between(0, 400))
                .checkAssert((digits, length) -> readsOrRefuses(digits.repeat(length / Math.max(1, digits.length()) + 1)
                        .substring(0, Math.min(length, digits.length() * (length / Math.max(1, digits.length()) + 1)))));
    }

    @Test
    void aValidFieldWithOneCharacterChangedEitherReadsOrIsAFormatError() {
        String totals = SettlementTotals.format(new CurrencyTotals(156, 3, 4_000, 1, 500), '0');
        String upload = "02" + RECORD + RECORD;
        qt().withExamples(5_000).forAll(integers().between(0, 1_000), characters().ascii(), integers().between(0, 2))
                .checkAssert((at, replacement, how) -> {
                    for (String valid : List.of(totals, upload, "0009", "00000001201", "000001202")) {
                        int i = at % valid.length();
                        String mutated = switch (how) {
                            case 0 -> valid.substring(0, i) + replacement + valid.substring(i + 1);
                            case 1 -> valid.substring(0, i) + valid.substring(i + 1);
                            default -> valid.substring(0, i) + replacement + valid.substring(i);
                        };
                        readsOrRefuses(mutated);
                    }
                });
    }

    @Test
    void answerTotalsReadBackAsTheyWereWritten() {
        qt().withExamples(2_000).forAll(longs().between(0, 999), longs().between(0, 999_999_999_999L), longs().between(0, 999),
                longs().between(0, 999_999_999_999L)).checkAssert((debits, debitMinor, credits, creditMinor) -> {
                    BatchTotals totals = new BatchTotals(debits, debitMinor, credits, creditMinor);
                    assertThat(SettlementFields.totals(SettlementFields.answerTotals(totals, '1'))).isEqualTo(totals);
                });
    }
}
