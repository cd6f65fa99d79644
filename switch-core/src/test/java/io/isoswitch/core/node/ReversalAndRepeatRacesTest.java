package io.isoswitch.core.node;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.ledger.EntryKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The races money is lost in, on the real PostgreSQL: a terminal's reversal that crosses its
 * original's late answer, two copies of one request in flight at once, a reversal of a reversal,
 * and a repeat that reaches the other node of two sharing one journal. The issuer holds its
 * answers until the test has made the second move of the race, so that each race really overlaps
 * however slow the machine; what the tests assert is the money.
 */
class ReversalAndRepeatRacesTest {
    @TempDir
    Path dir;
    private JournalBackend backend;
    private SwitchFixture fixture;

    @BeforeEach
    void start() {
        backend = JournalBackend.postgres(ReversalAndRepeatRacesTest.class);
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withCards(8).withTerminalsPerDialect(4).withIssuerConnections(2)
                .withIssuerTimeoutMs(20_000));
    }

    @AfterEach
    void stop() {
        fixture.close();
        backend.close();
    }

    private IsoMessage purchase(TerminalSide terminal, IssuedCard card, String stan, long amount) {
        return terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(card.pin(), card.account().pan()), stan, amount);
    }

    private List<?> entriesOf(IssuedCard card, EntryKind kind) {
        return fixture.issuer().entries(kind).stream().filter(e -> e.accountId().equals(card.account().accountId())).toList();
    }

    @Test
    void aReversalThatCrossesItsOriginalsLateApprovalGivesTheMoneyBack() throws IOException {
        IssuedCard card = fixture.issuer().card(0);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        TerminalSide second = terminal.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY));
        fixture.issuer().holdAnswers();
        IsoMessage purchase = purchase(terminal, card, "000101", 4_000);
        terminal.client().sendRaw(terminal.signed(purchase));
        await().atMost(10, TimeUnit.SECONDS).until(() -> fixture.journal().find(terminal.terminalId(), "000101")
                .map(row -> row.state().equals("SENT")).orElse(false));

        // the terminal gave up waiting and reverses while the issuer is still deciding (and will approve)
        assertThat(second.send(reversalOf(purchase, "000102")).getString(39)).isEqualTo("00");
        fixture.issuer().releaseAnswers();
        IsoMessage lateAnswer = terminal.answer(terminal.client().readBody());

        assertThat(lateAnswer.getString(39)).as("the approval that crossed the reversal never reaches the terminal").isEqualTo("91");
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.journal().find(terminal.terminalId(), "000101")
                .map(row -> row.state().equals("REVERSED")).orElse(false));
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        // either the issuer booked the original and then its reversal, or (the reversal overtook the
        // original on the other connection) it declined the original it had seen reversed: never a debit alone
        assertThat(entriesOf(card, EntryKind.DEBIT)).hasSizeLessThanOrEqualTo(1)
                .hasSameSizeAs(entriesOf(card, EntryKind.CREDIT));
    }

    @Test
    void twoCopiesOfOneRequestInFlightAtOnceAreSentOnceAndDebitOnce() throws IOException {
        IssuedCard card = fixture.issuer().card(1);
        TerminalSide first = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
        TerminalSide second = first.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY));
        fixture.issuer().holdAnswers();
        IsoMessage purchase = purchase(first, card, "000201", 2_500);
        byte[] request = first.signed(purchase);
        first.client().sendRaw(request);
        await().atMost(10, TimeUnit.SECONDS).until(() -> fixture.journal().find(first.terminalId(), "000201").isPresent());
        second.client().sendRaw(request);

        String repeatCode = second.answer(second.client().readBody()).getString(39);
        fixture.issuer().releaseAnswers();
        String firstCode = first.answer(first.client().readBody()).getString(39);

        assertThat(firstCode).isEqualTo("00");
        assertThat(repeatCode).as("a repeat while the original is at the issuer: duplicate, try later").isEqualTo("94");
        assertThat(first.send(purchase).getString(39)).as("a repeat after the outcome gets the outcome").isEqualTo("00");
        assertThat(entriesOf(card, EntryKind.DEBIT)).hasSize(1);
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 2_500);
    }

    @Test
    void aReversalOfAReversalIsAcknowledgedAndMovesNothing() throws IOException {
        IssuedCard card = fixture.issuer().card(2);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 3);
        IsoMessage purchase = purchase(terminal, card, "000301", 3_000);
        assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
        IsoMessage reversal = reversalOf(purchase, "000302");
        assertThat(terminal.send(reversal).getString(39)).isEqualTo("00");
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.issuer().available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);

        assertThat(terminal.send(reversalOf(reversal, "000303")).getString(39)).isEqualTo("00");

        assertThat(fixture.journal().find(terminal.terminalId(), "000301").orElseThrow().state()).isEqualTo("REVERSED");
        assertThat(entriesOf(card, EntryKind.DEBIT)).hasSize(1);
        assertThat(entriesOf(card, EntryKind.CREDIT)).as("reversed once, not twice, and never re-debited").hasSize(1);
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    @Test
    void aRepeatThatReachesTheOtherNodeIsAnsweredFromTheSharedJournal() throws IOException {
        SwitchNode other = fixture.startAnotherNode("node-2");
        IssuedCard card = fixture.issuer().card(3);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 4);
        IsoMessage purchase = purchase(terminal, card, "000401", 1_700);
        IsoMessage first = terminal.send(purchase);
        assertThat(first.getString(39)).isEqualTo("00");

        // the load balancer sends the terminal's next connection to the other node: it signs on there and repeats
        try (TerminalSide atOther = new TerminalSide(TerminalDialect.ISO87_BINARY,
                other.terminalPorts().get(TerminalDialect.ISO87_BINARY.ordinal()), fixture.hsm(), fixture.tmk(), terminal.terminalId())) {
            assertThat(atOther.signOn("000402")).isEqualTo("00");
            IsoMessage repeat = atOther.send(purchase);
            assertThat(repeat.getString(39)).isEqualTo("00");
            assertThat(repeat.getString(37)).isEqualTo(first.getString(37));
            assertThat(repeat.getString(38)).isEqualTo(first.getString(38));
        }
        assertThat(entriesOf(card, EntryKind.DEBIT)).hasSize(1);
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 1_700);
    }
}
