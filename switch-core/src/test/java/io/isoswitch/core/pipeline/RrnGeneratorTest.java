package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RrnGeneratorTest {
    private static final Clock TEN_O_CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void rrnsAreTwelveCharactersOfYearDayNodeAndSequence() {
        String rrn = new RrnGenerator(3, TEN_O_CLOCK, ZoneOffset.UTC).next();
        assertThat(rrn).hasSize(12).startsWith("63303").matches("[0-9A-Z]{12}");
    }

    @Test
    void twoNodesNeverIssueTheSameRrn() {
        RrnGenerator a = new RrnGenerator(1, TEN_O_CLOCK, ZoneOffset.UTC);
        RrnGenerator b = new RrnGenerator(2, TEN_O_CLOCK, ZoneOffset.UTC);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(a.next())).isTrue();
            assertThat(seen.add(b.next())).isTrue();
        }
    }

    @Test
    void aRestartedNodeDoesNotReissueWhatItIssuedBefore() {
        RrnGenerator before = new RrnGenerator(1, TEN_O_CLOCK, ZoneOffset.UTC);
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            issued.add(before.next());
        }
        // 50,000 RRNs in the second before the restart: 50 per millisecond, under the 100 it allows
        RrnGenerator after = new RrnGenerator(1, Clock.offset(TEN_O_CLOCK, Duration.ofSeconds(1)), ZoneOffset.UTC);
        int reissued = 0;
        for (int i = 0; i < 50_000; i++) {
            reissued += issued.contains(after.next()) ? 1 : 0;
        }
        assertThat(reissued).isZero();
    }
}
