package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.issuer.IssuerConnection;
import io.isoswitch.core.issuer.WorkingKeys;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Zone working keys rotate on a link that stays up: each connection signs on again for new keys
 * after {@code keyExchangeIntervalMs} (one second here), one connection at a time, and PIN purchases
 * sent all along are approved, each under keys the issuer holds when it reads it (a PIN translated
 * or a MAC computed under keys the issuer had replaced would be declined).
 */
class IssuerKeyExchangeTest extends EndToEndScenarios {
    private static final int EXCHANGES = 4;
    private static final int MAX_PURCHASES = 20_000;

    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(16).withIssuerConnections(2).withConfig(config -> config.withIssuers(
                config.issuers().stream().map(issuer -> issuer.withKeyExchangeInterval(1_000)).toList()));
    }

    @Test
    void keysAreExchangedOnTheLiveLinkWhilePurchasesGoOnAndEveryOneIsApproved() throws IOException {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        List<IssuedCard> cards = List.of(card(), card(), card(), card());
        Set<String> pinKeysSeen = new HashSet<>(zonePinKeyCheckValues());
        List<String> codes = new ArrayList<>();

        while (exchanges() < EXCHANGES && codes.size() < MAX_PURCHASES) {
            IsoMessage answer = terminal.send(terminal.pinPurchase(cards.get(codes.size() % cards.size()), stan(), 1));
            codes.add(answer.getString(39));
            pinKeysSeen.addAll(zonePinKeyCheckValues());
        }

        assertThat(exchanges()).as("key exchanges on the live link").isGreaterThanOrEqualTo(EXCHANGES);
        assertThat(codes).as("answers to the purchases sent across the exchanges").isNotEmpty().containsOnly("00");
        // two connections' first keys, then one new ZPK per exchange
        assertThat(pinKeysSeen).as("ZPK check values seen").hasSizeGreaterThanOrEqualTo(2 + EXCHANGES - 1);
        long spent = 0;
        for (IssuedCard card : cards) {
            spent += IssuerSimulator.OPENING_BALANCE_MINOR - fixture.issuer().available(card);
        }
        assertThat(spent).as("debited at the issuer, one minor unit a purchase").isEqualTo(codes.size());
        assertThat(count("switch.issuer.reconnects")).as("reconnects: the keys changed on the open connections").isZero();
    }

    private List<String> zonePinKeyCheckValues() {
        List<String> kcvs = new ArrayList<>();
        for (IssuerConnection connection : fixture.node().issuerLinks().link(SwitchFixture.ISSUER).connections()) {
            WorkingKeys keys = connection.keys();
            if (keys != null && keys.zonePinKey() != null) {
                kcvs.add(keys.zonePinKey().kcv());
            }
        }
        return kcvs;
    }

    private double exchanges() {
        return count("switch.issuer.key.exchanges");
    }

    private double count(String meter) {
        var counter = fixture.node().registry().find(meter).tag("issuer", SwitchFixture.ISSUER).counter();
        return counter == null ? 0 : counter.count();
    }
}
