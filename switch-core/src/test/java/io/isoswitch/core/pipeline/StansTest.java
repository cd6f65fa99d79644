package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class StansTest {
    @Test
    void sixDigitsIsWhatStringFormatGave() {
        qt().forAll(integers().between(0, 999_999))
                .checkAssert(stan -> assertThat(Stans.sixDigits(stan)).isEqualTo(String.format(Locale.ROOT, "%06d", stan)));
    }

    @Test
    void refusesWhatIsNoStan() {
        assertThatThrownBy(() -> Stans.sixDigits(1_000_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stans.sixDigits(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
