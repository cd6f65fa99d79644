package io.isoswitch.codec.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FramingTest {
    @Test
    void buildsTheHandlerPairNamedByConfiguration() {
        Framing framing = Framing.of("bcd2", FramingOptions.cupPos());
        assertThat(framing.header()).isEqualTo(LengthHeader.BCD2);
        assertThat(framing.newDecoder()).isNotSameAs(framing.newDecoder());
        assertThat(framing.encoder().isSharable()).isTrue();
        assertThat(framing.newDecoder().isSharable()).isFalse();
    }

    @Test
    void rejectsAnUnknownKindNamingTheKnownOnes() {
        assertThatThrownBy(() -> Framing.of("ascii2", FramingOptions.plain()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown framing kind 'ascii2', expected one of [binary2, ascii4, bcd2]");
    }

    @Test
    void rejectsAMaximumTheHeaderCannotExpress() {
        assertThatThrownBy(() -> Framing.of("ascii4", FramingOptions.plain().withMaxFrameLengthBytes(10_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beyond what a ascii4 header can say (9999)");
        assertThat(Framing.of("binary2", FramingOptions.plain().withMaxFrameLengthBytes(65_535))).isNotNull();
    }

    @Test
    void rejectsOptionsThatCannotHoldAFrame() {
        assertThatThrownBy(() -> new FramingOptions(-1, false, 100)).hasMessageContaining("prefixLength must be >= 0");
        assertThatThrownBy(() -> new FramingOptions(3, true, 100)).hasMessageContaining("a TPDU needs prefixLength >= 5");
        assertThatThrownBy(() -> new FramingOptions(11, true, 11)).hasMessageContaining("must exceed prefixLength 11");
    }
}
