package io.isoswitch.core.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IssuerBreakerTest {
    private static final long OPEN_MS = 30_000;

    /** A clock the test moves by hand: the breaker's periods pass without waiting. */
    private static final class HandClock extends Clock {
        private volatile long millis = 1_000_000;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new IllegalArgumentException("zone: UTC only, found " + zone);
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private static IssuerBreaker opened(HandClock clock) {
        IssuerBreaker breaker = new IssuerBreaker(3, OPEN_MS, clock);
        for (int i = 0; i < 3; i++) {
            breaker.failed();
        }
        return breaker;
    }

    @Test
    void halfOpenLetsOneProbeThroughAndKeepsTheRestInStandInUntilItSucceeds() {
        HandClock clock = new HandClock();
        IssuerBreaker breaker = opened(clock);
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(OPEN_MS);
        assertThat(breaker.isOpen()).as("the probe").isFalse();
        assertThat(breaker.isOpen()).as("while the probe is out").isTrue();
        assertThat(breaker.isOpen()).isTrue();
        breaker.succeeded();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void aFailedProbeOpensTheBreakerForAnotherPeriod() {
        HandClock clock = new HandClock();
        IssuerBreaker breaker = opened(clock);
        clock.advance(OPEN_MS);
        assertThat(breaker.isOpen()).isFalse();
        breaker.failed();
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(OPEN_MS - 1);
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(1);
        assertThat(breaker.isOpen()).as("the next probe").isFalse();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void aProbeThatNeverReportsIsGivenUpAfterThePeriodAndAnotherProbes() {
        HandClock clock = new HandClock();
        IssuerBreaker breaker = opened(clock);
        clock.advance(OPEN_MS);
        assertThat(breaker.isOpen()).isFalse();
        clock.advance(OPEN_MS - 1);
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(1);
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void ofRequestsRacingForTheHalfOpenBreakerExactlyOneProbes() throws Exception {
        HandClock clock = new HandClock();
        IssuerBreaker breaker = opened(clock);
        clock.advance(OPEN_MS);
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> admitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Integer> asker = () -> {
                    go.await();
                    int through = 0;
                    for (int i = 0; i < 1_000; i++) {
                        through += breaker.isOpen() ? 0 : 1;
                    }
                    return through;
                };
                admitted.add(pool.submit(asker));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : admitted) {
                total += f.get();
            }
            assertThat(total).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whileClosedEveryRequestGoesThroughWhateverFewerFailuresThanTheThreshold() {
        qt().forAll(integers().between(0, 4), integers().between(1, 50)).checkAssert((failures, asks) -> {
            IssuerBreaker breaker = new IssuerBreaker(5, OPEN_MS, new HandClock());
            for (int i = 0; i < failures; i++) {
                breaker.failed();
            }
            for (int i = 0; i < asks; i++) {
                assertThat(breaker.isOpen()).isFalse();
            }
        });
    }
}
