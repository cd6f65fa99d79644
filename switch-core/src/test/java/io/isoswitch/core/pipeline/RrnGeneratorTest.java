package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RrnGeneratorTest {
    @Test
    void rrnsAreTwelveDigitsOfYearDayNodeAndSequence() {
        RrnGenerator rrns = new RrnGenerator(3, Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC), ZoneOffset.UTC);
        assertThat(rrns.next()).isEqualTo("633030000000");
        assertThat(rrns.next()).isEqualTo("633030000001");
    }

    @Test
    void twoNodesNeverIssueTheSameRrn() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
        RrnGenerator a = new RrnGenerator(1, clock, ZoneOffset.UTC);
        RrnGenerator b = new RrnGenerator(2, clock, ZoneOffset.UTC);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(a.next())).isTrue();
            assertThat(seen.add(b.next())).isTrue();
        }
    }
}
