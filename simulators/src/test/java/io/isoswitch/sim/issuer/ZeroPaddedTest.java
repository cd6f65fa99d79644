package io.isoswitch.sim.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ZeroPaddedTest {
    @Test
    void digitsIsWhatStringFormatGave() {
        qt().forAll(longs().between(0, 999_999_999_999L))
                .checkAssert(v -> assertThat(ZeroPadded.digits(v, 12)).isEqualTo(String.format(Locale.ROOT, "%012d", v)));
    }

    @Test
    void narrowWidthsAreWhatStringFormatGave() {
        qt().forAll(longs().between(0, 9_999L))
                .checkAssert(v -> assertThat(ZeroPadded.digits(v, 4)).isEqualTo(String.format(Locale.ROOT, "%04d", v)));
    }

    @Test
    void refusesNegativeAndTooWide() {
        assertThatThrownBy(() -> ZeroPadded.digits(-1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZeroPadded.digits(12345, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZeroPadded.digits(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
