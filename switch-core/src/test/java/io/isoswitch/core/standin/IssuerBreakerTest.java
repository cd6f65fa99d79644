package io.isoswitch.core.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.isoswitch.testkit.time.MutableClock;
import java.time.Duration;
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

    /** Opens at half of the last ten calls failed, once four are counted. */
    private static IssuerBreaker breaker(MutableClock clock) {
        return new IssuerBreaker(50, 4, 10, OPEN_MS, clock);
    }

    private static IssuerBreaker opened(MutableClock clock) {
        IssuerBreaker breaker = breaker(clock);
        for (int i = 0; i < 4; i++) {
            breaker.failed();
        }
        assertThat(breaker.isOpen()).isTrue();
        return breaker;
    }

    @Test
    void opensWhenTheFailureRateOfTheWindowReachesTheThreshold() {
        IssuerBreaker breaker = breaker(MutableClock.startingNow());
        for (int i = 0; i < 6; i++) {
            breaker.succeeded();
        }
        for (int i = 0; i < 4; i++) {
            assertThat(breaker.isOpen()).as("after %d failures of %d calls", i, 6 + i).isFalse();
            breaker.failed();
        }
        // four of the last ten failed: 40 %; the fifth makes it five of ten
        assertThat(breaker.isOpen()).isFalse();
        breaker.failed();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void failuresBeforeTheMinimumNumberOfCallsDoNotOpen() {
        IssuerBreaker breaker = breaker(MutableClock.startingNow());
        for (int i = 0; i < 3; i++) {
            breaker.failed();
            assertThat(breaker.isOpen()).as("%d of the 4 calls counted before the rate counts", i + 1).isFalse();
        }
        breaker.failed();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void aBurstOfFailuresOfOneDroppedConnectionAmongAnswersDoesNotOpen() {
        // the defaults: a connection that drops fails its requests in flight together
        IssuerBreaker breaker = new IssuerBreaker(StandInConfig.DEFAULT_FAILURE_RATE_PERCENT, StandInConfig.DEFAULT_MINIMUM_CALLS,
                StandInConfig.DEFAULT_WINDOW_CALLS, OPEN_MS, MutableClock.startingNow());
        for (int burst = 0; burst < 20; burst++) {
            for (int i = 0; i < 12; i++) {
                breaker.succeeded();
            }
            for (int i = 0; i < 7; i++) {
                breaker.failed();
            }
            assertThat(breaker.isOpen()).as("burst %d", burst).isFalse();
        }
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        IssuerBreaker breaker = breaker(MutableClock.startingNow());
        for (int i = 0; i < 3; i++) {
            breaker.succeeded();
            breaker.failed(); // 50 % would open once 4 are counted, so keep it just below
            breaker.succeeded();
        }
        assertThat(breaker.failureRatePercentNow()).isEqualTo(33);
        for (int i = 0; i < 10; i++) {
            breaker.succeeded();
        }
        assertThat(breaker.failureRatePercentNow()).isZero();
        for (int i = 0; i < 4; i++) {
            breaker.failed();
        }
        // four failures among the last ten: the three older ones slid out
        assertThat(breaker.isOpen()).isFalse();
        breaker.failed();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void aSuccessfulProbeClosesWithAnEmptyWindowAndAnswersOfRequestsSentBeforeOpeningAreIgnored() {
        MutableClock clock = MutableClock.startingNow();
        IssuerBreaker breaker = opened(clock);
        // late answers of requests sent before it opened: neither close it nor open it for longer
        breaker.succeeded();
        breaker.failed();
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(Duration.ofMillis(OPEN_MS));
        assertThat(breaker.isOpen()).as("the probe").isFalse();
        breaker.succeeded();
        assertThat(breaker.failureRatePercentNow()).isZero();
        for (int i = 0; i < 3; i++) {
            breaker.failed();
        }
        assertThat(breaker.isOpen()).as("three failures: fewer calls than the minimum since it closed").isFalse();
    }

    @Test
    void theBreakerOpensExactlyWhenTheLastCallsOfTheWindowFailAtTheRate() {
        // the minimum is drawn as any value up to the window (no assumption that throws examples away)
        qt().forAll(integers().between(1, 100), integers().between(1, 20), integers().between(0, 999),
                        lists().of(booleans().all()).ofSizeBetween(0, 80))
                .checkAssert((rate, window, minimumSeed, outcomes) -> {
                    int minimum = 1 + minimumSeed % window;
                    IssuerBreaker breaker = new IssuerBreaker(rate, minimum, window, OPEN_MS, MutableClock.startingNow());
                    List<Boolean> seen = new ArrayList<>();
                    for (boolean failed : outcomes) {
                        if (failed) {
                            breaker.failed();
                        } else {
                            breaker.succeeded();
                        }
                        seen.add(failed);
                        List<Boolean> last = seen.subList(Math.max(0, seen.size() - window), seen.size());
                        long failures = last.stream().filter(f -> f).count();
                        boolean shouldOpen = failed && last.size() >= minimum && failures * 100 >= (long) rate * last.size();
                        if (shouldOpen) {
                            assertThat(breaker.isOpen()).as("after %s", seen).isTrue();
                            return; // open: what follows is the half-open story, tested above
                        }
                        assertThat(breaker.isOpen()).as("after %s", seen).isFalse();
                    }
                });
    }

    @Test
    void rejectsAWindowThatDoesNotFitItsWord() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IssuerBreaker(50, 10, IssuerBreaker.MAX_WINDOW_CALLS + 1, OPEN_MS,
                MutableClock.startingNow())).hasMessageContaining("windowCalls");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IssuerBreaker(50, 11, 10, OPEN_MS, MutableClock.startingNow()))
                .hasMessageContaining("minimumCalls");
    }

    @Test
    void halfOpenLetsOneProbeThroughAndKeepsTheRestInStandInUntilItSucceeds() {
        MutableClock clock = MutableClock.startingNow();
        IssuerBreaker breaker = opened(clock);
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(Duration.ofMillis(OPEN_MS));
        assertThat(breaker.isOpen()).as("the probe").isFalse();
        assertThat(breaker.isOpen()).as("while the probe is out").isTrue();
        assertThat(breaker.isOpen()).isTrue();
        breaker.succeeded();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void aFailedProbeOpensTheBreakerForAnotherPeriod() {
        MutableClock clock = MutableClock.startingNow();
        IssuerBreaker breaker = opened(clock);
        clock.advance(Duration.ofMillis(OPEN_MS));
        assertThat(breaker.isOpen()).isFalse();
        breaker.failed();
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(Duration.ofMillis(OPEN_MS - 1));
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(breaker.isOpen()).as("the next probe").isFalse();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void aProbeThatNeverReportsIsGivenUpAfterThePeriodAndAnotherProbes() {
        MutableClock clock = MutableClock.startingNow();
        IssuerBreaker breaker = opened(clock);
        clock.advance(Duration.ofMillis(OPEN_MS));
        assertThat(breaker.isOpen()).isFalse();
        clock.advance(Duration.ofMillis(OPEN_MS - 1));
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void ofRequestsRacingForTheHalfOpenBreakerExactlyOneProbes() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        IssuerBreaker breaker = opened(clock);
        clock.advance(Duration.ofMillis(OPEN_MS));
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
    void whileClosedEveryRequestGoesThroughWhateverFewerFailuresThanTheMinimumNumberOfCalls() {
        qt().forAll(integers().between(0, 4), integers().between(1, 50)).checkAssert((failures, asks) -> {
            IssuerBreaker breaker = new IssuerBreaker(1, 5, 20, OPEN_MS, MutableClock.startingNow());
            for (int i = 0; i < failures; i++) {
                breaker.failed();
            }
            for (int i = 0; i < asks; i++) {
                assertThat(breaker.isOpen()).isFalse();
            }
        });
    }
}
