package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.isoswitch.testkit.gen.Gens;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconnectBackoffProperties {
    @Test
    void everyDelayLiesBetweenHalfTheStepAndTheStepAndNeverBeyondTheMaximum() {
        qt().withExamples(500)
                .forAll(Gens.longsBetween(1, 10_000), Gens.longsBetween(0, 100_000), integers().between(0, 200), Gens.longs())
                .checkAssert((min, extra, failures, seed) -> {
                    ReconnectBackoff backoff = new ReconnectBackoff(min, min + extra, new SplittableRandom(seed));
                    long step = backoff.stepMs(failures);
                    long delay = backoff.delayMs(failures);

                    assertThat(step).isBetween(min, min + extra);
                    assertThat(delay).isBetween(step / 2, step);
                });
    }

    @Test
    void theStepDoublesWithEachFailureUntilTheMaximum() {
        qt().withExamples(300).forAll(Gens.longsBetween(1, 10_000), Gens.longsBetween(0, 1_000_000), integers().between(0, 60))
                .checkAssert((min, extra, failures) -> {
                    ReconnectBackoff backoff = new ReconnectBackoff(min, min + extra, new SplittableRandom(1));

                    assertThat(backoff.stepMs(failures + 1)).isEqualTo(Math.min(2 * backoff.stepMs(failures), min + extra));
                    assertThat(backoff.stepMs(0)).isEqualTo(min);
                });
    }
}
