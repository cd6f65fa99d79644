package io.isoswitch.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
    static final int DECISIONS = 10_000;

    static Map<FaultDecision.Action, Long> run(FaultInjector injector, int n) {
        Map<FaultDecision.Action, Long> seen = new EnumMap<>(FaultDecision.Action.class);
        for (int i = 0; i < n; i++) {
            seen.merge(injector.nextAnswer().action(), 1L, Long::sum);
        }
        return seen;
    }

    @Test
    void injectsEachFaultInAboutItsShareAndCountsExactlyWhatItDecided() {
        FaultPlan plan = FaultPlan.none().withNoAnswerShare(0.10).withLateAnswers(0.05, Duration.ofSeconds(40))
                .withDropConnectionShare(0.02).withGarbageShare(0.03).withDuplicateAnswerShare(0.20).withDamagedShare(0.04);
        FaultInjector injector = new FaultInjector(plan, 1234);

        Map<FaultDecision.Action, Long> seen = run(injector, DECISIONS);

        // binomial bounds of more than 5 standard deviations: a correct injector never falls outside
        assertThat(seen.get(FaultDecision.Action.NO_ANSWER)).isBetween(850L, 1150L);
        assertThat(seen.get(FaultDecision.Action.LATE_ANSWER)).isBetween(390L, 610L);
        assertThat(seen.get(FaultDecision.Action.DROP_CONNECTION)).isBetween(130L, 270L);
        assertThat(seen.get(FaultDecision.Action.GARBAGE)).isBetween(210L, 390L);
        assertThat(seen.get(FaultDecision.Action.DUPLICATE)).isBetween(1800L, 2200L);
        assertThat(seen.get(FaultDecision.Action.DAMAGED)).isBetween(290L, 510L);
        FaultCounters counters = injector.counters();
        assertThat(counters.count(FaultKind.NO_ANSWER)).isEqualTo(seen.get(FaultDecision.Action.NO_ANSWER));
        assertThat(counters.count(FaultKind.LATE_ANSWER)).isEqualTo(seen.get(FaultDecision.Action.LATE_ANSWER));
        assertThat(counters.count(FaultKind.DROPPED_CONNECTION)).isEqualTo(seen.get(FaultDecision.Action.DROP_CONNECTION));
        assertThat(counters.count(FaultKind.GARBAGE)).isEqualTo(seen.get(FaultDecision.Action.GARBAGE));
        assertThat(counters.count(FaultKind.DUPLICATE_ANSWER)).isEqualTo(seen.get(FaultDecision.Action.DUPLICATE));
        assertThat(counters.count(FaultKind.DAMAGED_ANSWER)).isEqualTo(seen.get(FaultDecision.Action.DAMAGED));
        assertThat(counters.count(FaultKind.LATENCY)).isZero();
        assertThat(counters.decisions()).isEqualTo(DECISIONS);
    }

    @Test
    void aWellBehavedPlanAnswersEverythingAtOnce() {
        FaultInjector injector = FaultInjector.none();

        assertThat(run(injector, 1_000)).containsOnlyKeys(FaultDecision.Action.ANSWER);
        assertThat(injector.nextAnswer()).isEqualTo(FaultDecision.answerNow());
        assertThat(injector.counters().snapshot().values()).containsOnly(0L);
    }

    @Test
    void lateAnswersWaitTheConfiguredDelay() {
        FaultInjector injector = new FaultInjector(FaultPlan.none().withLateAnswers(1.0, Duration.ofSeconds(31)), 1);

        assertThat(injector.nextAnswer()).isEqualTo(new FaultDecision(FaultDecision.Action.LATE_ANSWER,
                Duration.ofSeconds(31)));
    }

    @Test
    void heldRequestsWaitForTheReleaseInOrderWhileReversalsPass() {
        FaultInjector faults = FaultInjector.none();
        List<String> processed = new ArrayList<>();
        faults.holdRequests();
        faults.processOrHold(false, () -> processed.add("purchase 1"), Runnable::run);
        faults.processOrHold(true, () -> processed.add("reversal of 1"), Runnable::run);
        faults.processOrHold(false, () -> processed.add("purchase 2"), Runnable::run);
        assertThat(processed).containsExactly("reversal of 1");

        faults.releaseRequests();
        faults.processOrHold(false, () -> processed.add("purchase 3"), Runnable::run);
        assertThat(processed).containsExactly("reversal of 1", "purchase 1", "purchase 2", "purchase 3");
    }

    @Test
    void aNewPlanTakesEffectAtTheNextDecision() {
        FaultInjector injector = FaultInjector.none();
        run(injector, 100);

        injector.setPlan(FaultPlan.none().withNoAnswerShare(1.0).withRefuseSignOn(true));

        assertThat(injector.nextAnswer().action()).isEqualTo(FaultDecision.Action.NO_ANSWER);
        assertThat(injector.refuseSignOn()).isTrue();
        assertThat(injector.counters().count(FaultKind.REFUSED_SIGN_ON)).isEqualTo(1);
        injector.setPlan(FaultPlan.none());
        assertThat(injector.refuseSignOn()).isFalse();
        assertThat(injector.counters().count(FaultKind.REFUSED_SIGN_ON)).isEqualTo(1);
    }

    @Test
    void theSameSeedGivesTheSameDecisions() {
        FaultPlan plan = FaultPlan.none().withGarbageShare(0.3).withLatency(new LatencyModel.Uniform(Duration.ZERO,
                Duration.ofMillis(50)));
        FaultInjector a = new FaultInjector(plan, 99);
        FaultInjector b = new FaultInjector(plan, 99);
        List<FaultDecision> fromA = new ArrayList<>();
        List<FaultDecision> fromB = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fromA.add(a.nextAnswer());
            fromB.add(b.nextAnswer());
        }

        assertThat(fromA).isEqualTo(fromB);
        assertThat(a.garbage()).isEqualTo(b.garbage());
    }

    @Test
    void countsLatencyOnlyWhenItDelays() {
        FaultInjector injector = new FaultInjector(
                FaultPlan.none().withLatency(new LatencyModel.Fixed(Duration.ofMillis(5))), 3);

        assertThat(injector.nextAnswer()).isEqualTo(new FaultDecision(FaultDecision.Action.ANSWER, Duration.ofMillis(5)));
        assertThat(injector.counters().count(FaultKind.LATENCY)).isEqualTo(1);
    }

    @Test
    void garbageIsOneToSixtyFourBytes() {
        FaultInjector injector = new FaultInjector(FaultPlan.none(), 5);
        for (int i = 0; i < 200; i++) {
            assertThat(injector.garbage().length).isBetween(1, FaultInjector.MAX_GARBAGE_BYTES);
        }
    }

    @Test
    void rejectsSharesThatCannotBeProbabilities() {
        assertThatThrownBy(() -> FaultPlan.none().withNoAnswerShare(0.6).withGarbageShare(0.6))
                .hasMessageContaining("sum <= 1");
        assertThatThrownBy(() -> FaultPlan.none().withDuplicateAnswerShare(-0.1)).hasMessageContaining("duplicateAnswerShare");
        assertThatThrownBy(() -> FaultPlan.none().withNoAnswerShare(Double.NaN)).hasMessageContaining("noAnswerShare");
    }

    @Test
    void latencyModelsSampleInsideTheirShapes() {
        SplittableRandom random = new SplittableRandom(8);
        LatencyModel uniform = new LatencyModel.Uniform(Duration.ofMillis(10), Duration.ofMillis(20));
        LatencyModel logNormal = new LatencyModel.LogNormal(Duration.ofMillis(10), 0.5, Duration.ofMillis(100));
        List<Duration> logNormals = new ArrayList<>();
        for (int i = 0; i < 2_001; i++) {
            assertThat(uniform.sample(random)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
            logNormals.add(logNormal.sample(random));
        }
        logNormals.sort(null);
        assertThat(logNormals).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(100)));
        // the median of 2001 samples of a log-normal with median 10 ms and sigma 0.5 lies near 10 ms
        assertThat(logNormals.get(1_000)).isBetween(Duration.ofMillis(9), Duration.ofMillis(11));
        assertThat(LatencyModel.none().sample(random)).isZero();
    }

    @Test
    void parsesTheCommandLineFormOfLatency() {
        assertThat(LatencyModel.parse("none")).isEqualTo(LatencyModel.none());
        assertThat(LatencyModel.parse("fixed:20")).isEqualTo(new LatencyModel.Fixed(Duration.ofMillis(20)));
        assertThat(LatencyModel.parse("uniform:5-50"))
                .isEqualTo(new LatencyModel.Uniform(Duration.ofMillis(5), Duration.ofMillis(50)));
        assertThat(LatencyModel.parse("lognormal:20,0.5")).isEqualTo(
                new LatencyModel.LogNormal(Duration.ofMillis(20), 0.5, LatencyModel.DEFAULT_LOG_NORMAL_CAP));
        assertThatThrownBy(() -> LatencyModel.parse("uniform:5")).hasMessageContaining("uniform:MIN-MAX");
        assertThatThrownBy(() -> LatencyModel.parse("gaussian:3")).hasMessageContaining("found 'gaussian:3'");
    }
}
