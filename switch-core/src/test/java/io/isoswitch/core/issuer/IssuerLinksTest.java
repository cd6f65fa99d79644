package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.net.EventLoops;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The set of links: health, failover to the secondary before sending, configuration checks. */
class IssuerLinksTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ScriptedIssuer primary = new ScriptedIssuer(null, null).start();
    private final ScriptedIssuer secondary = new ScriptedIssuer(null, null).start();
    private final EventLoops loops = EventLoops.create(2);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private IssuerLinks links;

    @AfterEach
    void close() {
        if (links != null) {
            links.stop(Duration.ofSeconds(10));
        }
        primary.close();
        secondary.close();
        loops.close();
    }

    private static IssuerConfig config(String id, ScriptedIssuer issuer) {
        return IssuerConfig.of(id, "127.0.0.1", issuer.port(), "123456").withTimeouts(400, 30_000).withBackoff(20, 200);
    }

    private IssuerLinks start() {
        links = new IssuerLinks(List.of(config("primary", primary).withSecondary("standby"), config("standby", secondary)),
                loops, null, registry, Clock.systemUTC(), answer -> { });
        links.start();
        await().atMost(WAIT).until(() -> links.isUp("primary") && links.isUp("standby"));
        return links;
    }

    @Test
    void namesTheConfiguredSecondaryWhoseLinkAnswersWhileThePrimaryIsDown() throws Exception {
        start();
        assertThat(links.secondaryOf("primary")).contains("standby");
        assertThat(links.secondaryOf("standby")).isEmpty();
        assertThat(links.secondaryOf("nobody")).isEmpty();

        primary.stop();
        await().atMost(WAIT).until(() -> !links.isUp("primary"));

        IssuerLink chosen = links.link(links.secondaryOf("primary").orElseThrow());
        IssuerResponse answer = chosen.send(new IsoMessage("0200").set(3, "000000").set(4, "000000000100")).get(5, TimeUnit.SECONDS);
        assertThat(answer.issuerId()).isEqualTo("standby");
        assertThat(secondary.financial()).hasSize(1);
        assertThat(primary.financial()).isEmpty();
    }

    /**
     * A starting node waits for its links before it opens its terminal ports: a restarted node
     * answered the terminals that redialled at once 91 ("no route up") while its links signed on.
     */
    @Test
    void awaitUpReturnsOnceEveryLinkSignedOnAndGivesUpAtItsLimitWhenOneCannot() {
        links = new IssuerLinks(List.of(config("primary", primary), config("standby", secondary)),
                loops, null, registry, Clock.systemUTC(), answer -> { });
        links.start();
        assertThat(links.awaitUp(WAIT)).isTrue();
        assertThat(links.isUp("primary") && links.isUp("standby")).isTrue();

        secondary.stop();
        await().atMost(WAIT).until(() -> !links.isUp("standby"));
        assertThat(links.awaitUp(Duration.ofMillis(100))).isFalse();
    }

    @Test
    void healthFitsRoutingsIssuerPredicateAndAnUnknownIssuerIsDown() {
        start();
        Predicate<String> health = links::isUp;

        assertThat(health.test("primary")).isTrue();
        assertThat(health.test("nobody")).isFalse();
        assertThat(registry.get(IssuerLinkMetrics.LINK_UP).tag("issuer", "standby").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get(IssuerLinkMetrics.SIGNED_ON).tag("issuer", "primary").gauge().value()).isEqualTo(2.0);
    }

    @Test
    void refusesARepeatedIssuerIdAndASecondaryThatIsNotConfigured() {
        IssuerConfig a = config("primary", primary);

        assertThatThrownBy(() -> new IssuerLinks(List.of(a, a), loops, null, registry, Clock.systemUTC(), answer -> { }))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("issuers[primary].issuerId");
        assertThatThrownBy(() -> new IssuerLinks(List.of(a.withSecondary("ghost")), loops, null, registry, Clock.systemUTC(),
                answer -> { })).isInstanceOf(ConfigException.class).hasMessageStartingWith("issuers[primary].secondaryIssuerId = ghost");
    }
}
