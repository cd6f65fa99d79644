package io.isoswitch.core.node;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalRequests;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.CounterKey;
import io.isoswitch.settlement.limits.CounterKind;
import io.isoswitch.settlement.limits.CounterLimit;
import io.isoswitch.settlement.limits.LimitCounters;
import io.isoswitch.settlement.limits.LimitDecision;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.ledger.EntryKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Sends {@code purchase} from {@code terminal} and, while the issuer holds it on its way, reverses
     * it from {@code second} (STAN {@code reversalStan}) until the switch has the record REVERSED: the
     * reversal reaches the issuer first (one that forgets reversals of what it has not seen
     * acknowledges it as "no original"). The purchase then goes on to the issuer.
     */
    private void reverseWhileTheIssuerHoldsIt(TerminalSide terminal, TerminalSide second, IsoMessage purchase,
                                              String reversalStan) throws IOException {
        String stan = purchase.getString(11);
        fixture.issuer().holdRequests();
        try {
            terminal.client().sendRaw(terminal.signed(purchase));
            await().atMost(10, TimeUnit.SECONDS).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                    .map(row -> row.state().equals("SENT")).orElse(false));
            assertThat(second.send(reversalOf(purchase, reversalStan)).getString(39)).isEqualTo("00");
            await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                    .map(row -> row.state().equals("REVERSED")).orElse(false));
        } finally {
            fixture.issuer().releaseRequests();
        }
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

    /**
     * The terminal's reversal reaches an issuer that forgets reversals of what it has not seen (it
     * acknowledges them as "no original") before the purchase does, held on its way; the issuer then
     * approves the purchase, and its approval reaches the switch while the switch still waits for
     * it. The record was reversed meanwhile, so the approval is kept as late, never answered: the
     * card must end up debited nothing, as its terminal was told.
     *
     * <p>Regression: only approvals that came after the switch stopped waiting ({@code LateApprovals})
     * had their reversal queued again; one that came in time to a reversed record was just kept as
     * late, and the card stayed debited for a sale its terminal had reversed.
     */
    @Test
    void anApprovalThatComesInTimeAfterItsReversalWasForgottenByTheIssuerIsReversedAgain() throws IOException {
        IssuedCard card = fixture.issuer().card(0);
        fixture.issuer().bank().rememberReversalsOfUnseenOriginals(false);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        TerminalSide second = terminal.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY));
        IsoMessage purchase = purchase(terminal, card, "000701", 3_000);
        reverseWhileTheIssuerHoldsIt(terminal, second, purchase, "000702");
        assertThat(terminal.answer(terminal.client().readBody()).getString(39)).as("the approval of a reversed purchase")
                .isNotEqualTo("00");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(entriesOf(card, EntryKind.DEBIT)).as("the issuer approved the purchase when it came").hasSize(1);
            assertThat(fixture.issuer().available(card)).as("the card, as its terminal was told")
                    .isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        });
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
    }

    /**
     * As above, with an approval whose echoed amount is not the request's (the issuer booked the
     * purchase as asked; its answer names another amount in field 4). Such an answer is taken as
     * no answer and reversed ({@code IssuerAnswerEchoesTest}); here it comes to a record its
     * terminal reversed already, and that reversal reached the issuer first and was forgotten.
     * Regression: the reversal of an answer not the request's was queued only while the record was
     * still SENT, so this one was dropped and the card stayed debited for a reversed sale.
     */
    @Test
    void anApprovalNamingAnotherAmountThatComesAfterItsForgottenReversalIsReversedAgain() throws IOException {
        IssuedCard card = fixture.issuer().card(0);
        fixture.issuer().bank().rememberReversalsOfUnseenOriginals(false);
        fixture.issuer().rewriteAnswers(answer -> {
            if (answer.mti().equals("0210")) {
                answer.set(4, "000000003001");
            }
            return answer;
        });
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        TerminalSide second = terminal.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY));
        IsoMessage purchase = purchase(terminal, card, "000901", 3_000);
        reverseWhileTheIssuerHoldsIt(terminal, second, purchase, "000902");
        assertThat(terminal.answer(terminal.client().readBody()).getString(39)).as("an approval not the request's")
                .isNotEqualTo("00");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(entriesOf(card, EntryKind.DEBIT)).as("the issuer booked the purchase when it came").hasSize(1);
            assertThat(fixture.issuer().available(card)).as("the card, as its terminal was told")
                    .isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        });
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
    }

    /**
     * As above, with the issuer approving the purchase in part (10, the approved amount in field 4):
     * the switch undoes a partial approval itself, but this one comes to a record already reversed,
     * whose reversal (of the amount asked) the issuer forgot. Regression: it was only kept as late, and
     * the card stayed debited the part the issuer approved.
     */
    @Test
    void aPartialApprovalThatComesInTimeAfterItsReversalWasForgottenByTheIssuerIsReversedAgain() throws IOException {
        IssuedCard card = fixture.issuer().card(0);
        fixture.issuer().bank().rememberReversalsOfUnseenOriginals(false);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        TerminalSide second = terminal.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY));
        assertThat(terminal.send(purchase(terminal, card, "000801", IssuerSimulator.OPENING_BALANCE_MINOR - 40_000)).getString(39))
                .isEqualTo("00");
        fixture.issuer().bank().setPartialApprovals(true);
        IsoMessage purchase = purchase(terminal, card, "000802", 100_000);
        reverseWhileTheIssuerHoldsIt(terminal, second, purchase, "000803");
        assertThat(terminal.answer(terminal.client().readBody()).getString(39)).isNotEqualTo("00");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(entriesOf(card, EntryKind.DEBIT)).as("the issuer approved 400.00 of the purchase when it came").hasSize(2);
            assertThat(fixture.issuer().available(card)).as("the card, as its terminal was told").isEqualTo(40_000);
        });
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
    }

    /**
     * A UnionPay terminal gave up on its completion (still at the issuer), reversed it and voids
     * the pre-authorization at once, as the chaos run's terminals do: the void is approved, and
     * whatever the issuer decided on the completion, once everything is delivered the card carries
     * neither a debit nor a hold.
     */
    @Test
    void aPreAuthorizationVoidedWhileItsReversedCompletionIsStillAtTheIssuerLeavesNoMoneyAndNoHold() throws IOException {
        IssuedCard card = fixture.issuer().card(6);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 3);
        TerminalSide second = terminal.anotherConnection(fixture.port(TerminalDialect.CUP_POS));
        TerminalRequests.Card read = SwitchFixture.read(card);
        IsoMessage preAuth = terminal.send(terminal.requests().preAuthorization(read, terminal.pinBlock(card.pin(),
                card.account().pan()), "000601", 5_000));
        assertThat(preAuth.getString(39)).isEqualTo("00");
        fixture.issuer().holdAnswers();
        IsoMessage completion = terminal.requests().completion(read, "000602", 4_000, preAuth.getString(37),
                preAuth.getString(38), "000601");
        terminal.client().sendRaw(terminal.signed(completion));
        await().atMost(10, TimeUnit.SECONDS).until(() -> fixture.journal().find(terminal.terminalId(), "000602")
                .map(row -> row.state().equals("SENT")).orElse(false));
        assertThat(second.send(TerminalRequests.unionPayReversalOf(completion)).getString(39)).isEqualTo("00");

        IsoMessage voided = terminal.requests().preAuthVoid(read, "000603", 5_000, preAuth.getString(37), preAuth.getString(38),
                "000601");
        assertThat(second.send(voided).getString(39)).isEqualTo("00");
        fixture.issuer().releaseAnswers();

        assertThat(terminal.answer(terminal.client().readBody()).getString(39)).as("the completion's late answer").isNotEqualTo("00");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(fixture.issuer().balance(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
            assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        });
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
        assertThat(second.send(voided).getString(39)).as("the void's repeat").isEqualTo("00");
    }

    /**
     * The chaos run's stuck hold: a UnionPay completion took its share of the pre-authorization and
     * the switch was killed before the journal had it (the state is set up here as that crash left
     * it). The terminal, its connection lost, reverses the completion and then voids the
     * pre-authorization: the void must go through and release the hold. Before, the orphaned share
     * refused every void (12) and the hold stayed.
     */
    @Test
    void aCompletionsShareLeftByACrashBeforeItWasJournaledIsGivenBackByItsReversalSoTheVoidReleasesTheHold()
            throws Exception {
        OrphanedCompletion left = orphanedCompletion(7, 4, 700);
        TerminalSide terminal = left.terminal();

        assertThat(terminal.send(TerminalRequests.unionPayReversalOf(left.completion())).getString(39)).isEqualTo("00");
        assertThat(terminal.send(left.voidOfPreAuthorization()).getString(39)).isEqualTo("00");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(fixture.issuer().available(left.card())).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR));
        assertThat(terminal.send(left.completion()).getString(39)).as("the completion arriving after all: its key is taken")
                .isEqualTo("94");
    }

    /**
     * As above, with the reversal's give-back of that share failing (the database away a moment):
     * the reversal is answered 96, not acknowledged, and gives the share back when sent again, so
     * that the void goes through. Before, the failure was only logged and the reversal acknowledged
     * 00: its terminal never sent it again, and the pre-authorization's voids were refused 12.
     */
    @Test
    void aReversalWhoseGiveBackOfAnOrphanedShareFailsIsAnswered96AndGivesItBackWhenSentAgain() throws Exception {
        OrphanedCompletion left = orphanedCompletion(6, 3, 800);
        TerminalSide terminal = left.terminal();
        IsoMessage reversal = TerminalRequests.unionPayReversalOf(left.completion());

        try (Connection c = backend.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION refuse_give_back() RETURNS trigger AS $$ BEGIN IF OLD.key_kind = 'ORIGINAL' THEN"
                    + " RAISE EXCEPTION 'give-back lost'; END IF; RETURN OLD; END $$ LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER refuse_give_back BEFORE DELETE ON limit_contribution FOR EACH ROW EXECUTE FUNCTION refuse_give_back()");
        }
        try {
            assertThat(terminal.send(reversal).getString(39)).as("the reversal while give-backs fail").isEqualTo("96");
        } finally {
            try (Connection c = backend.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse_give_back ON limit_contribution");
            }
        }
        assertThat(terminal.send(reversal).getString(39)).as("the reversal sent again").isEqualTo("00");

        assertThat(terminal.send(left.voidOfPreAuthorization()).getString(39)).isEqualTo("00");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(fixture.issuer().available(left.card())).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR));
    }

    /** A UnionPay pre-authorization of 5,000 and its completion of 4,000, whose share a crash left without a record. */
    private record OrphanedCompletion(IssuedCard card, TerminalSide terminal, IsoMessage preAuth, IsoMessage completion,
                                      String voidStan) {
        IsoMessage voidOfPreAuthorization() {
            return terminal.requests().preAuthVoid(SwitchFixture.read(card), voidStan, 5_000, preAuth.getString(37),
                    preAuth.getString(38), preAuth.getString(11));
        }
    }

    /** {@link OrphanedCompletion} of card {@code cardIndex} at UnionPay terminal {@code terminalIndex}, STANs {@code stanBase} + 1, 2, 3. */
    private OrphanedCompletion orphanedCompletion(int cardIndex, int terminalIndex, int stanBase) throws Exception {
        IssuedCard card = fixture.issuer().card(cardIndex);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, terminalIndex);
        TerminalRequests.Card read = SwitchFixture.read(card);
        String preAuthStan = "%06d".formatted(stanBase + 1);
        String completionStan = "%06d".formatted(stanBase + 2);
        IsoMessage preAuth = terminal.send(terminal.requests().preAuthorization(read, terminal.pinBlock(card.pin(),
                card.account().pan()), preAuthStan, 5_000));
        assertThat(preAuth.getString(39)).isEqualTo("00");
        IsoMessage completion = terminal.requests().completion(read, completionStan, 4_000, preAuth.getString(37),
                preAuth.getString(38), preAuthStan);
        orphanedCompletionShare(terminal.terminalId(), preAuthStan, completionStan, 4_000);
        return new OrphanedCompletion(card, terminal, preAuth, completion, "%06d".formatted(stanBase + 3));
    }

    /** What a node killed between a completion's share and its journal record leaves: the share, no record. */
    private void orphanedCompletionShare(String terminalId, String preAuthStan, String completionStan, long amount)
            throws Exception {
        String preAuthId;
        java.time.LocalDate businessDate;
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT id, business_date FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%'")) {
            s.setString(1, terminalId);
            s.setString(2, preAuthStan);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                preAuthId = r.getString(1);
                businessDate = r.getObject(2, java.time.LocalDate.class);
            }
        }
        String contributor = terminalId + "|" + completionStan + "|" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "|020";
        try (JournalDatabase database = JournalDatabase.open(fixture.node().config().journal().toDatabaseConfig())) {
            LimitDecision taken = new LimitCounters(database, java.time.Clock.systemUTC()).tryIncrement(List.of(new CounterIncrement(
                    new CounterKey(CounterKind.ORIGINAL, preAuthId, businessDate, "COMPLETION", "156"), amount,
                    new CounterLimit(1, Long.MAX_VALUE), contributor))).join();
            assertThat(taken).isInstanceOf(LimitDecision.Accepted.class);
        }
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

        fixture.issuer().releaseAnswers();
        IsoMessage firstAnswer = first.answer(first.client().readBody());
        IsoMessage repeatAnswer = second.answer(second.client().readBody());

        assertThat(firstAnswer.getString(39)).isEqualTo("00");
        assertThat(repeatAnswer).as("a repeat while the original is at the issuer waits for its answer").isEqualTo(firstAnswer);
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

        // the issuer books the reversal before it answers; REVERSED is written on its answer
        fixture.journal().awaitState(terminal.terminalId(), "000301", "REVERSED", Duration.ofSeconds(30));
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

    /**
     * Found from outside with a jPOS terminal on two connections: a void and a full refund of one
     * purchase sent at once were both approved, and the issuer credited the card twice (the void's
     * reversal and the refund). Here the void has read its original (nothing refunded) and waits to
     * move it, held by a row lock, while the refund reaches another node and checks the same
     * original (still standing): only one of them may give the money back.
     */
    @Test
    void aRefundRacingAVoidOfTheSamePurchaseNeverCreditsTheCardTwice() throws Exception {
        IssuedCard card = fixture.issuer().card(4);
        TerminalSide atOther = atAnotherNode();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage sale = terminal.send(purchase(terminal, card, "000502", 4_444));
        assertThat(sale.getString(39)).isEqualTo("00");
        String rrn = sale.getString(37);

        List<String> codes = raceAHeldUndo(terminal, "000502",
                terminal.requests().purchaseVoid(SwitchFixture.read(card), "000503", 4_444, rrn, "000502"),
                atOther, atOther.requests().refund(SwitchFixture.read(card), "000504", 4_444, rrn));

        assertThat(codes).as("void, refund").containsExactly("00", "13");
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.issuer().available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);
        assertThat(entriesOf(card, EntryKind.CREDIT)).as("the purchase given back once").hasSize(1);
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    /** The same race with the terminal's own reversal (0400) of the purchase in place of the void. */
    @Test
    void aRefundRacingAReversalOfTheSamePurchaseNeverCreditsTheCardTwice() throws Exception {
        IssuedCard card = fixture.issuer().card(6);
        TerminalSide atOther = atAnotherNode();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage purchase = purchase(terminal, card, "000702", 5_555);
        IsoMessage sale = terminal.send(purchase);
        assertThat(sale.getString(39)).isEqualTo("00");

        List<String> codes = raceAHeldUndo(terminal, "000702", reversalOf(purchase, "000703"),
                atOther, atOther.requests().refund(SwitchFixture.read(card), "000704", 5_555, sale.getString(37)));

        assertThat(codes).as("reversal, refund").containsExactly("00", "13");
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.issuer().available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);
        assertThat(entriesOf(card, EntryKind.CREDIT)).as("the purchase given back once").hasSize(1);
    }

    /**
     * The same race for a pre-authorization: its void (which releases the hold) and a completion
     * advice of it sent at once were both approved from outside, so the terminal that voided it and
     * the one that completed it were each told 00. Only one may stand.
     */
    @Test
    void aCompletionRacingAVoidOfThePreAuthorizationIsRefused() throws Exception {
        IssuedCard card = fixture.issuer().card(5);
        TerminalSide atOther = atAnotherNode();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage preAuth = terminal.send(terminal.requests().preAuthorization(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), "000602", 6_000));
        assertThat(preAuth.getString(39)).isEqualTo("00");
        String rrn = preAuth.getString(37);
        String auth = preAuth.getString(38);

        List<String> codes = raceAHeldUndo(terminal, "000602",
                terminal.requests().preAuthVoid(SwitchFixture.read(card), "000603", 6_000, rrn, auth, "000602"),
                atOther, atOther.requests().completionAdvice(SwitchFixture.read(card), "000604", 6_000, rrn, auth, "000602"));

        assertThat(codes).as("void, completion").containsExactly("00", "94");
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.issuer().available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);
        assertThat(fixture.issuer().balance(card)).as("nothing captured").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    /**
     * Terminal 1 of the ISO 8583:1987 binary dialect at a second node, not yet signed on there:
     * {@link #raceAHeldUndo} signs it on just before its racer. Sign-ons are shared, so a sign-on
     * here followed by the test's sign-on at node 1 ended this session at this node's next poll
     * (about a second), and the racer was answered 58 whenever the set-up took longer than that.
     */
    private TerminalSide atAnotherNode() throws IOException {
        SwitchNode other = fixture.startAnotherNode("node-2");
        return new TerminalSide(TerminalDialect.ISO87_BINARY,
                other.terminalPorts().get(TerminalDialect.ISO87_BINARY.ordinal()), fixture.hsm(), fixture.tmk(),
                SwitchFixture.terminalId(TerminalDialect.ISO87_BINARY, 1));
    }

    /**
     * Sends {@code undo} (a void) on this node and holds it, by a row lock on its original's
     * journal row, once it has read the original and waits to move it; meanwhile sends {@code racer}
     * at the other node, then lets the undo go on. Answers the codes of both, the undo's first.
     */
    private List<String> raceAHeldUndo(TerminalSide terminal, String originalStan, IsoMessage undo, TerminalSide atOther,
                                       IsoMessage racer) throws Exception {
        CompletableFuture<IsoMessage> undone;
        String racerCode;
        try (Connection lock = backend.connect()) {
            lock.setAutoCommit(false);
            try (PreparedStatement s = lock.prepareStatement(
                    "SELECT id FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%' FOR NO KEY UPDATE")) {
                s.setString(1, terminal.terminalId());
                s.setString(2, originalStan);
                s.executeQuery().close();
            }
            undone = CompletableFuture.supplyAsync(() -> {
                try {
                    return terminal.send(undo);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await().atMost(30, TimeUnit.SECONDS).until(() -> waitingForTheJournal(lock));
            // the held undo has passed node 1's session and MAC checks and answers under the session it holds
            assertThat(atOther.signOn("000501")).isEqualTo("00");
            racerCode = atOther.send(racer).getString(39);
            lock.commit();
        }
        String undoCode = undone.get(30, TimeUnit.SECONDS).getString(39);
        atOther.close();
        return List.of(undoCode, racerCode);
    }

    /** Whether another session waits for a lock {@code own} holds. */
    private static boolean waitingForTheJournal(Connection own) throws SQLException {
        try (Statement s = own.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM pg_locks l WHERE NOT l.granted"
                     + " AND pg_backend_pid() = ANY(pg_blocking_pids(l.pid))")) {
            return rows.next() && rows.getLong(1) > 0;
        }
    }
}
