package io.isoswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.isoswitch.sim.terminal.StanSequence;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunStansTest {
    private static final long DAY_SECONDS = 86_400;

    @Test
    void everyRunOfTheDayHasItsOwnTenStansWithinSixDigits() {
        // two runs started in different seconds of the same day never share a STAN among their first ten
        qt().forAll(longs().between(0, 40_000), longs().between(0, DAY_SECONDS - 2), longs().between(0, DAY_SECONDS))
                .check((day, second, gapSeed) -> {
                    long start = day * DAY_SECONDS + second;
                    long gap = 1 + gapSeed % (DAY_SECONDS - 1 - second);
                    int first = RunStans.firstAt(Instant.ofEpochSecond(start));
                    int later = RunStans.firstAt(Instant.ofEpochSecond(start + gap));
                    return first >= 1 && later + RunStans.PER_SECOND - 1 <= StanSequence.MAX_STAN
                            && later >= first + RunStans.PER_SECOND;
                });
    }

    @Test
    void midnightStartsAtOne() {
        assertThat(RunStans.firstAt(Instant.parse("2026-11-26T00:00:00.999Z"))).isEqualTo(1);
        assertThat(RunStans.firstAt(Instant.parse("2026-11-26T23:59:59Z"))).isEqualTo(863_991);
    }
}
