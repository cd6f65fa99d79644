package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ReconnectBackoffProperties {
    @Property(tries = 500)
    void everyDelayLiesBetweenHalfTheStepAndTheStepAndNeverBeyondTheMaximum(
            @ForAll @LongRange(min = 1, max = 10_000) long min, @ForAll @LongRange(min = 0, max = 100_000) long extra,
            @ForAll @IntRange(min = 0, max = 200) int failures, @ForAll long seed) {
        ReconnectBackoff backoff = new ReconnectBackoff(min, min + extra, new SplittableRandom(seed));
        long step = backoff.stepMs(failures);
        long delay = backoff.delayMs(failures);

        assertThat(step).isBetween(min, min + extra);
        assertThat(delay).isBetween(step / 2, step);
    }

    @Property(tries = 300)
    void theStepDoublesWithEachFailureUntilTheMaximum(
            @ForAll @LongRange(min = 1, max = 10_000) long min, @ForAll @LongRange(min = 0, max = 1_000_000) long extra,
            @ForAll @IntRange(min = 0, max = 60) int failures) {
        ReconnectBackoff backoff = new ReconnectBackoff(min, min + extra, new SplittableRandom(1));

        assertThat(backoff.stepMs(failures + 1)).isEqualTo(Math.min(2 * backoff.stepMs(failures), min + extra));
        assertThat(backoff.stepMs(0)).isEqualTo(min);
    }
}
