package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.ledger.EntryKind;
import io.isoswitch.testkit.time.ShiftedClock;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Idempotency end to end: a request repeated with the same terminal, STAN and date is answered
 * exactly as the first time (from the journal) and the issuer's ledger shows one debit, also when
 * the two copies arrive together on two connections. Run on each journal database by a subclass.
 */
abstract class RepeatedRequestScenarios extends EndToEndScenarios {

    /** Moved on between a request and its repeat: the repeat then comes in a later second. */
    private final ShiftedClock clock = new ShiftedClock(ZoneOffset.UTC);

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(10).withIssuerConnections(2).withClock(clock);
    }

    private IsoMessage purchase(TerminalSide terminal, IssuedCard card, String stan) {
        return terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(card.pin(), card.account().pan()), stan, 2_000);
    }

    private List<?> debitsOf(IssuedCard card) {
        return fixture.issuer().entries(EntryKind.DEBIT).stream()
                .filter(e -> e.accountId().equals(card.account().accountId())).toList();
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aRepeatedPurchaseIsAnsweredIdenticallyAndDebitsOnce(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        String stan = stan();
        // a repeat is the same request again (same fields, local time included)
        IsoMessage request = purchase(terminal, card, stan);
        IsoMessage first = terminal.send(request);
        // the terminal heard nothing (a lost answer) and tries again some seconds later: the UnionPay
        // answer's host time (fields 12 and 13) is the transaction's, not that of the repeat
        clock.shift(Duration.ofSeconds(7));
        IsoMessage repeat = terminal.send(request);
        assertThat(first.getString(39)).isEqualTo("00");
        assertThat(repeat).isEqualTo(first);
        assertThat(debitsOf(card)).hasSize(1);
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 2_000);
        assertThat(fixture.journal().of(terminal.terminalId(), stan)).hasSize(1);
    }

    @Test
    void anotherTransactionUnderAStanAlreadyUsedTodayIsDeclined94AndNotAnsweredFromTheJournal() throws IOException {
        IssuedCard first = card();
        IssuedCard other = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        String stan = stan();
        assertThat(terminal.send(purchase(terminal, first, stan)).getString(39)).isEqualTo("00");
        // the terminal was reset and numbers from the same STAN again, for a different card and amount
        IsoMessage reused = terminal.requests().purchase(SwitchFixture.read(other),
                terminal.pinBlock(other.pin(), other.account().pan()), stan, 1_500);
        assertThat(terminal.send(reused).getString(39)).isEqualTo("94");
        assertThat(debitsOf(other)).isEmpty();
        assertThat(fixture.issuer().available(other)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        assertThat(debitsOf(first)).hasSize(1);
    }

    /**
     * A copy that arrives while the first is still at its issuer waits for the first one's outcome and
     * is answered with it (same code, RRN and authorization code). Before, it heard 94 at once: a
     * gateway that resent on a second connection took the sale as declined while the card was debited.
     */
    @Test
    void aCopySentWhileTheFirstIsAtItsIssuerHearsTheFirstOnesAnswer() throws Exception {
        IssuedCard card = card();
        TerminalSide first = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
        TerminalSide second = first.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY));
        String stan = stan();
        byte[] request = first.signed(purchase(first, card, stan));
        fixture.issuer().holdAnswers();
        try {
            first.client().sendRaw(request);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    fixture.journal().find(first.terminalId(), stan).map(r -> r.state()).orElse("").equals("SENT"));
            second.client().sendRaw(request);
            // the copy is read and waits (nothing to observe from outside but its silence), then the issuer answers
            fixture.issuer().releaseAnswers();
            IsoMessage a = first.answer(first.client().readBody());
            IsoMessage b = second.answer(second.client().readBody());
            assertThat(a.getString(39)).isEqualTo("00");
            assertThat(b).as("the copy's answer").isEqualTo(a);
            assertThat(debitsOf(card)).hasSize(1);
        } finally {
            fixture.issuer().releaseAnswers();
            second.close();
        }
    }

    @Test
    void twoCopiesSentTogetherOnTwoConnectionsDebitOnce() throws IOException {
        IssuedCard card = card();
        TerminalSide first = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
        TerminalSide second = first.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY));
        String stan = stan();
        IsoMessage purchase = purchase(first, card, stan);
        byte[] request = first.signed(purchase);
        first.client().sendRaw(request);
        second.client().sendRaw(request);
        IsoMessage a = first.answer(first.client().readBody());
        IsoMessage b = second.answer(second.client().readBody());
        try {
            // one copy went to the issuer; the other was answered from the journal, once the first was answered
            assertThat(a.getString(39)).isEqualTo("00");
            assertThat(b).isEqualTo(a);
            assertThat(first.send(purchase)).isEqualTo(a);
            assertThat(debitsOf(card)).hasSize(1);
            assertThat(fixture.journal().of(first.terminalId(), stan)).hasSize(1);
        } finally {
            second.close();
        }
    }
}
