package io.isoswitch.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BinRangeTest {
    @Test
    void parsesASinglePrefixAndARange() {
        assertThat(BinRange.parse("622588")).isEqualTo(new BinRange(622588, 622588, 6));
        assertThat(BinRange.parse(" 62258800..62258899 ")).isEqualTo(new BinRange(62258800, 62258899, 8));
        assertThat(BinRange.parse("00000000001").toString()).isEqualTo("00000000001");
        assertThat(BinRange.parse("41000000..41999999").toString()).isEqualTo("41000000..41999999");
    }

    @Test
    void rejectsLengthsOutsideSixToElevenDigits() {
        assertThatThrownBy(() -> BinRange.parse("62258")).isInstanceOf(RoutingException.class)
                .hasMessage("BIN range '62258' must have 6 to 11 digits");
        assertThatThrownBy(() -> BinRange.parse("622588001234")).hasMessageContaining("must have 6 to 11 digits");
    }

    @Test
    void rejectsBoundsOfDifferentLengthsDescendingOrNotDigits() {
        assertThatThrownBy(() -> BinRange.parse("622588..62258899")).hasMessageContaining("different lengths");
        assertThatThrownBy(() -> BinRange.parse("622599..622588")).hasMessageContaining("not an ascending pair");
        assertThatThrownBy(() -> BinRange.parse("62258x")).hasMessageContaining("must be digits");
        assertThatThrownBy(() -> BinRange.parse("622588..")).hasMessageContaining("must be digits");
        assertThatThrownBy(() -> BinRange.parse(null)).hasMessage("BIN range is missing");
    }

    @Test
    void overlapsOnlyWithinOneLength() {
        BinRange eight = BinRange.parse("62258800..62258899");
        assertThat(eight.overlaps(BinRange.parse("62258899..62259000"))).isTrue();
        assertThat(eight.overlaps(BinRange.parse("62258900..62259000"))).isFalse();
        assertThat(eight.overlaps(BinRange.parse("622588"))).isFalse();
        assertThat(eight.contains(62258850)).isTrue();
    }
}
