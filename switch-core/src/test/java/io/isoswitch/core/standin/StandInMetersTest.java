package io.isoswitch.core.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.testkit.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What operations see of stand-in: a gauge per issuer that is 1 while the issuer is in stand-in
 * (forced, or its breaker open or half-open), and the decision counters at zero from the start.
 * Regression: nothing showed which issuer was in stand-in (the dashboard's column stayed "-").
 */
class StandInMetersTest {
    private static final long OPEN_MS = 1_000;
    /** Opens once both of the last two calls failed. */
    private static final StandInConfig RULE = new StandInConfig("decline", 0, 0, null, 50, 2, 2, OPEN_MS);

    private final MutableClock clock = MutableClock.startingNow();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // no request is decided here, so no limit counter is ever asked
    private final StandIn standIn = new StandIn(issuer -> RULE, null, registry, clock, ForcedStandInFlags.inMemory());

    private double active(String issuer) {
        return registry.get(StandIn.ACTIVE_METRIC).tag("issuer", issuer).gauge().value();
    }

    @Test
    void everyConfiguredIssuerHasItsGaugeAndCountersAtZeroBeforeAnyRequest() {
        standIn.registerMeters(List.of("bank-a", "bank-b"));
        for (String issuer : List.of("bank-a", "bank-b")) {
            assertThat(active(issuer)).isZero();
            for (String outcome : List.of("approved", "declined")) {
                assertThat(registry.get(StandIn.METRIC).tag("issuer", issuer).tag("outcome", outcome).counter().count()).isZero();
            }
        }
    }

    @Test
    void theGaugeFollowsAForcedStandIn() {
        standIn.registerMeters(List.of("bank-a", "bank-b"));
        standIn.force("bank-a", true).toCompletableFuture().join();
        assertThat(active("bank-a")).isEqualTo(1);
        assertThat(active("bank-b")).isZero();
        standIn.force("bank-a", false).toCompletableFuture().join();
        assertThat(active("bank-a")).isZero();
    }

    @Test
    void theGaugeShowsAnOpenAndHalfOpenBreakerWithoutTakingTheProbe() {
        standIn.registerMeters(List.of("bank-a"));
        standIn.failed("bank-a");
        standIn.failed("bank-a");
        assertThat(active("bank-a")).isEqualTo(1);
        assertThat(standIn.healthy("bank-a")).isFalse();

        clock.advance(Duration.ofMillis(OPEN_MS + 1));
        // half-open: however often the gauge is read, the next request still gets to probe
        for (int i = 0; i < 5; i++) {
            assertThat(active("bank-a")).isEqualTo(1);
        }
        assertThat(standIn.healthy("bank-a")).as("the probe").isTrue();
        assertThat(standIn.healthy("bank-a")).as("a second request while the probe is out").isFalse();
        assertThat(active("bank-a")).isEqualTo(1);

        standIn.succeeded("bank-a");
        assertThat(active("bank-a")).isZero();
        assertThat(standIn.healthy("bank-a")).isTrue();
    }
}
