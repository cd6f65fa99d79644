package io.isoswitch.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PanMaskerTest {
    private static final Pattern LONG_RUN = Pattern.compile("\\d{13,}");

    @Test
    void keepsTheFirstSixAndLastFourOfEveryLongDigitRun() {
        assertThat(PanMasker.mask("card 4761739001010119 declined")).isEqualTo("card 476173******0119 declined");
        assertThat(PanMasker.mask("track 4761739001010119=25121010000012300000")).isEqualTo("track 476173******0119=251210**********0000");
        assertThat(PanMasker.mask("13 digits 6222021234567 and a 19-digit 6222021234567890123"))
                .isEqualTo("13 digits 622202***4567 and a 19-digit 622202*********0123");
    }

    @Test
    void leavesShorterNumbersAlone() {
        String text = "stan 000123 rrn 633010000123 amount 000000002500 terminal TERM0001 at 1126101500";
        assertThat(PanMasker.mask(text)).isSameAs(text);
        assertThat(PanMasker.mask(null)).isNull();
    }

    @Test
    void masksLuhnInvalidRunsToo() {
        assertThat(PanMasker.mask("4761739001010118")).isEqualTo("476173******0118");
    }

    @Test
    void noRunOfThirteenOrMoreDigitsSurvivesAndNothingElseChanges() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 40), longs().between(0, Long.MAX_VALUE), integers().between(13, 19),
                strings().allPossible().ofLengthBetween(0, 40)).checkAssert((before, digits, length, after) -> {
                    String pan = String.format("%019d", digits).substring(19 - length);
                    String text = before + " " + pan + " " + after;
                    String masked = PanMasker.mask(text);
                    assertThat(LONG_RUN.matcher(masked).find()).isFalse();
                    assertThat(masked).hasSameSizeAs(text);
                    assertThat(masked).contains(" " + pan.substring(0, 6) + "*".repeat(length - 10) + pan.substring(length - 4) + " ");
                    for (int i = 0; i < text.length(); i++) {
                        if (masked.charAt(i) != text.charAt(i)) {
                            assertThat(masked.charAt(i)).isEqualTo('*');
                            assertThat(Character.isDigit(text.charAt(i))).isTrue();
                        }
                    }
                });
    }
}
