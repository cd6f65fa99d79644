package io.isoswitch.settlement.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.testkit.time.MutableClock;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each lease renewal records whether its node reaches an issuer and reads whether a live peer does. */
class NodeIssuerReachabilityTest extends BothDatabases {
    private static final Duration LEASE = Duration.ofSeconds(15);

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRenewalAnswersWhetherAnotherLiveNodeReachesAnIssuer(Backend backend) {
        MutableClock clock = MutableClock.startingNow();
        NodeLeases leases = new NodeLeases(on(backend).database(), clock);

        assertThat(leases.renew("cut-off", LEASE, false).join()).as("no other node yet").isFalse();
        assertThat(leases.renew("linked", LEASE, true).join()).as("the other node reaches none").isFalse();
        assertThat(leases.renew("cut-off", LEASE, false).join()).isTrue();

        clock.advance(LEASE.plusSeconds(1));
        assertThat(leases.renew("cut-off", LEASE, false).join()).as("a dead node's links count for nothing").isFalse();

        leases.renew("linked", LEASE, true).join();
        assertThat(leases.takeOverDead("cut-off", entry -> java.util.Optional.empty()).join()).isEmpty();
        assertThat(leases.renew("cut-off", LEASE, false).join()).isTrue();
        // a node renewing without saying (the plain renewal) counts as reaching its issuers
        leases.renew("linked", LEASE, false).join();
        leases.renew("plain", LEASE).join();
        assertThat(leases.renew("cut-off", LEASE, false).join()).isTrue();
    }
}
