package io.isoswitch.core.day;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.config.SettlementConfig;
import io.isoswitch.core.node.SwitchNode;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.ledger.EntryKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * review15m, throwaway: fix15d looks a dateless (UnionPay) request up on the dates BEFORE its own
 * only. Nodes pick a cutover up on their own refresh (settlement.calendarRefreshMs, up to 60 s): for
 * that long one node keys requests by the new date and another by the old one. A purchase answered at
 * the node already cut over (keyed D+1) and sent again to a node still on D is keyed D, looked for on
 * D-1 and D-2 only, and sent to the issuer again: the card is debited twice.
 */
class Review15mCutoverSkewTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aRepeatAtANodeNotYetCutOverIsAnsweredFromTheJournal(String backendName) throws Exception {
        SwitchFixture.Options options = SwitchFixture.Options.of(JournalBackend.h2(), dir)
                .withConfig(c -> c.withSettlement(new SettlementConfig(c.settlement().cutoverTime(), 60_000L,
                        c.settlement().feePlansFile())));
        try (SwitchFixture fixture = SwitchFixture.start(options)) {
            IssuerSimulator issuer = fixture.issuer();
            IssuedCard card = issuer.card(0);
            SwitchNode other = fixture.startAnotherNode("node-2");
            double before = gauge(other);
            // the operator closes the day at the first node: it is on D+1 at once, the other within 60 s
            HttpResponse<String> cut = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + fixture.node().opsPort() + "/ops/cutover"))
                    .header("Authorization", "Bearer " + SwitchFixture.OPS_TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cut.statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(fixture.node()) != before);

            try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                IsoMessage first = terminal.send(terminal.pinPurchase(card, "000801", 2_500));
                assertThat(first.getString(39)).isEqualTo("00");
                try (TerminalSide atOther = fixture.signedOnAt(other, TerminalDialect.CUP_POS, terminal.terminalId())) {
                    assertThat(gauge(other)).as("the other node is still on the old date").isEqualTo(before);
                    IsoMessage again = atOther.send(atOther.pinPurchase(card, "000801", 2_500));
                    assertThat(again.getString(39)).isEqualTo("00");
                }
            }
            assertThat(issuer.entries(EntryKind.DEBIT).stream()
                    .filter(e -> e.accountId().equals(card.account().accountId())).count()).as("issuer debits").isEqualTo(1);
            // (and the repeat's RRN is the original's: it was answered from the journal)
        }
    }

    private static double gauge(SwitchNode node) {
        return node.registry().get(BusinessDateOps.GAUGE).gauge().value();
    }
}
