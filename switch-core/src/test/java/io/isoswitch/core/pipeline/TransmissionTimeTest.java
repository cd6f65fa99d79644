package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class TransmissionTimeTest {
    private static final DateTimeFormatter FIELD_7 = DateTimeFormatter.ofPattern("MMddHHmmss").withZone(ZoneOffset.UTC);

    @Test
    void field7IsWhatTheFormatterGave() {
        // years 1970 to 2200, any second and nanosecond
        qt().forAll(longs().between(0, 7_258_118_400L), longs().between(0, 999_999_999))
                .checkAssert((seconds, nanos) -> {
                    Instant t = Instant.ofEpochSecond(seconds, nanos);
                    assertThat(IssuerRequests.transmission(t)).isEqualTo(FIELD_7.format(t));
                });
    }
}
