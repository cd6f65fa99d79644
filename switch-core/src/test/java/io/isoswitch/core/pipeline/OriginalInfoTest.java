package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class OriginalInfoTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    @Test
    void readsBatchTraceAndDateAndIgnoresWhatOfflineMessagesAdd() {
        OriginalInfo info = OriginalInfo.parse("000123004567" + "1125" + "01" + "12345678901", TODAY);
        assertThat(info).isEqualTo(new OriginalInfo("000123", "004567", LocalDate.of(2026, 11, 25)));
    }

    @Test
    void aDateAfterTheRequestsIsLastYears() {
        assertThat(OriginalInfo.parse("0000010000021231", LocalDate.of(2027, 1, 2)).date()).isEqualTo(LocalDate.of(2026, 12, 31));
        assertThat(OriginalInfo.parse("0000010000021126", TODAY).date()).isEqualTo(TODAY);
    }

    @Test
    void refusesWhatIsNotBatchTraceAndAValidDate() {
        assertThat(OriginalInfo.parse(null, TODAY)).isNull();
        assertThat(OriginalInfo.parse("000001000002112", TODAY)).as("15 digits").isNull();
        assertThat(OriginalInfo.parse("00000100000A1126", TODAY)).isNull();
        assertThat(OriginalInfo.parse("0000010000021326", TODAY)).as("month 13").isNull();
        assertThat(OriginalInfo.parse("0000010000020431", TODAY)).as("31 April").isNull();
        assertThat(OriginalInfo.parse("0000010000020229", TODAY)).as("29 February 2026").isNull();
        assertThat(OriginalInfo.parse("0000010000020000", TODAY)).isNull();
    }

    @Test
    void anyTextIsParsedOrRefusedNeverThrown() {
        qt().forAll(strings().ascii().ofLengthBetween(0, 40)).checkAssert(text -> {
            OriginalInfo info = OriginalInfo.parse(text, TODAY);
            if (info != null) {
                assertThat(info.date()).isBeforeOrEqualTo(TODAY);
                assertThat(text).startsWith(info.batch() + info.stan());
            }
        });
    }

    @Test
    void mutatedDigitsAreParsedOrRefusedNeverThrown() {
        qt().forAll(strings().betweenCodePoints('0', '9').ofLengthBetween(0, 29), integers().between(0, 28), integers().between(0, 127))
                .checkAssert((digits, at, replacement) -> {
                    String mutated = digits.isEmpty() ? digits
                            : digits.substring(0, at % digits.length()) + (char) (int) replacement + digits.substring(at % digits.length() + 1);
                    OriginalInfo info = OriginalInfo.parse(mutated, TODAY);
                    if (info != null) {
                        assertThat(info.date()).isBeforeOrEqualTo(TODAY);
                    }
                });
    }

    @Test
    void aWellFormedFieldRoundTrips() {
        qt().forAll(integers().between(0, 999_999), integers().between(0, 999_999), integers().between(0, 364))
                .checkAssert((batch, trace, daysAgo) -> {
                    LocalDate date = TODAY.minusDays(daysAgo);
                    String field = String.format("%06d%06d%02d%02d", batch, trace, date.getMonthValue(), date.getDayOfMonth());
                    assertThat(OriginalInfo.parse(field, TODAY))
                            .isEqualTo(new OriginalInfo(String.format("%06d", batch), String.format("%06d", trace), date));
                });
    }
}
