package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The issuer read path fuzzed end to end: the issuer answers half the requests with its answer's
 * bytes damaged (a wrong STAN, a response code or field that is no longer one, a message cut short
 * or that no longer decodes). Whatever arrives, each terminal request gets one well-formed, MACed
 * answer, the link stays up, no record is left waiting for an answer, and the issuer's ledger
 * stays whole.
 */
class DamagedIssuerAnswersTest extends EndToEndScenarios {
    private static final int REQUESTS = 300;

    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(20).withIssuerTimeoutMs(300);
    }

    @Test
    void everyRequestIsAnsweredOnceAndTheLinkStaysUpWhateverTheIssuerSends() throws IOException {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        fixture.issuer().faults(FaultPlan.none().withDamagedShare(0.3));
        Map<String, Integer> codes = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            IssuedCard card = fixture.issuer().card(i % 20);
            IsoMessage answer = terminal.send(terminal.pinPurchase(card, stan(), 100));
            codes.merge(answer.getString(39), 1, Integer::sum);
        }
        assertThat(codes).as("answers by response code").doesNotContainKey("96");
        assertThat(fixture.node().registry().get("switch.issuer.undecodable").counter().count()).as("undecodable answers").isPositive();
        fixture.issuer().faults(FaultPlan.none());
        fixture.awaitIssuerLink(true);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> terminal.send(terminal.pinPurchase(fixture.issuer().card(0), stan(), 100)).getString(39).equals("00"));
        // every request resolved and every reversal delivered (store-and-forward retries what the issuer garbled)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> fixture.journal().all().stream()
                .noneMatch(r -> "SENT".equals(r.state()) || "REVERSAL_PENDING".equals(r.state())));
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }
}
