package io.isoswitch.sim.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StanAndRrnTest {

    @Test
    void stansCountUpAndWrapFrom999999ToOne() {
        StanSequence stans = new StanSequence(999_998);

        assertThat(stans.next()).isEqualTo(999_998);
        assertThat(stans.next()).isEqualTo(999_999);
        assertThat(stans.next()).isEqualTo(1);
        assertThat(stans.last()).isEqualTo(1);
        assertThatThrownBy(() -> new StanSequence(0)).hasMessageContaining("first");
    }

    @Test
    void rrnIsYearDigitDayOfYearHourAndStan() {
        RrnGenerator rrns = new RrnGenerator(Clock.fixed(Instant.parse("2026-11-26T09:30:00Z"), ZoneOffset.UTC));

        assertThat(rrns.rrn(42)).isEqualTo("633009000042").hasSize(12);
    }
}
