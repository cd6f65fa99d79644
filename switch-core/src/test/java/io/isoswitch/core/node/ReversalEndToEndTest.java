package io.isoswitch.core.node;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
import static io.isoswitch.core.testing.TerminalRequests.reversalRepeatOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.FreshSwitchPerTest;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultPlan;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Money given back: a terminal's own reversal of an approved purchase, and a purchase the issuer
 * never answered, both end with the card's balance where it started, through the store-and-forward
 * queue; a reversal of something never approved moves nothing.
 */
class ReversalEndToEndTest extends FreshSwitchPerTest {
    private static final long TIMEOUT_MS = 500;

    @Override
    protected SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withIssuerTimeoutMs(TIMEOUT_MS);
    }

    @Test
    void aTerminalsReversalOfAnApprovedPurchaseGivesTheMoneyBack() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(0);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            IsoMessage purchase = terminal.pinPurchase(card, "000101", 4_000);
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
            assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 4_000);

            assertThat(terminal.send(reversalOf(purchase, "000102")).getString(39)).isEqualTo("00");
            await().atMost(20, TimeUnit.SECONDS).until(() -> issuer.available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);
            await().atMost(10, TimeUnit.SECONDS).until(() -> fixture.journal().find(terminal.terminalId(), "000101")
                    .map(row -> row.state().equals("REVERSED")).orElse(false));
            // the repeat of the reversal is answered from the journal and moves nothing more
            assertThat(terminal.send(reversalRepeatOf(purchase, "000102")).getString(39)).isEqualTo("00");
            // the purchase sent again is a repeat of an approval that no longer stands: it must not
            // hear 00 (its terminal would hand over the goods for money given back), nor reach the issuer
            IsoMessage purchaseAgain = terminal.pinPurchase(card, "000101", 4_000);
            assertThat(terminal.send(purchaseAgain).getString(39)).isEqualTo("96");
        }
        assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    /**
     * Regression: an 0400 naming a replacement amount in field 95 (the terminal keeps 1.00 of a
     * 2.33 sale) was done in full: the card was credited 2.33 and the sale left the batch, while
     * the terminal's own books kept 1.00. It is now refused 12 and the sale stands whole; field 95
     * zero-filled is a full reversal as before.
     */
    @Test
    void aPartialReversalIsRefusedAndTheSaleStandsWhileAZeroFilledField95ReversesInFull() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(3);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            IsoMessage purchase = terminal.pinPurchase(card, "000301", 233);
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");

            IsoMessage partial = reversalOf(purchase, "000302").set(95, "000000000100" + "0".repeat(30));
            IsoMessage refused = terminal.send(partial);
            assertThat(refused.getString(39)).isEqualTo("12");
            // MACed (send checks the MAC of what it gets): the request's MAC verified, so the refusal is trusted
            assertThat(refused.has(64) || refused.has(128)).as("the refusal's MAC").isTrue();
            assertThat(fixture.journal().find(terminal.terminalId(), "000301")).get()
                    .extracting(row -> row.state()).isEqualTo("APPROVED");
            assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 233);

            IsoMessage full = reversalOf(purchase, "000303").set(95, "0".repeat(42));
            assertThat(terminal.send(full).getString(39)).isEqualTo("00");
            await().atMost(20, TimeUnit.SECONDS).until(() -> issuer.available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);
        }
    }

    @Test
    void aReversalOfSomethingNeverApprovedIsAcknowledgedAndMovesNothing() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(1);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            IsoMessage neverSent = terminal.requests().purchase(SwitchFixture.read(card), null, "000201", 2_000);
            assertThat(terminal.send(reversalOf(neverSent, "000202")).getString(39)).isEqualTo("00");
        }
        assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    /**
     * Regression: a reversal that arrived before its original (on another connection or node, or
     * from a terminal that sent the original again) was acknowledged, and the original then came
     * in and was approved: the card was debited for a sale its terminal had cancelled. The
     * reversal now takes the original's key, so the late original is declined 94 and moves nothing.
     */
    @Test
    void anOriginalArrivingAfterItsOwnReversalIsDeclinedAndMovesNothing() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(3);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            IsoMessage late = terminal.pinPurchase(card, "000301", 2_500);
            assertThat(terminal.send(reversalOf(late, "000302")).getString(39)).isEqualTo("00");
            assertThat(terminal.send(late).getString(39)).isEqualTo("94");
            // a repeat of the reversal is still acknowledged
            assertThat(terminal.send(reversalRepeatOf(late, "000302")).getString(39)).isEqualTo("00");
        }
        assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        assertThat(issuer.bank().snapshot().entries()).noneMatch(entry -> entry.accountId().equals(card.account().accountId()));
    }

    /**
     * A reversal naming a sale of another amount, or the sale with another card, reverses nothing and
     * is acknowledged (by design: it names a transaction that does not exist), and before, nothing
     * showed it: ops could not see terminals that reverse what does not exist. Each is counted in
     * {@value SwitchMetrics#REVERSALS_UNMATCHED} by reason.
     */
    @Test
    void aReversalOfAnotherAmountOrCardIsCountedAsUnmatchedAndMovesNothing() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(5);
        IssuedCard other = issuer.card(6);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            IsoMessage sale = terminal.pinPurchase(card, "000601", 3_000);
            assertThat(terminal.send(sale).getString(39)).isEqualTo("00");

            IsoMessage otherAmount = reversalOf(sale, "000602").set(4, String.format(java.util.Locale.ROOT, "%012d", 2_999));
            assertThat(terminal.send(otherAmount).getString(39)).isEqualTo("00");
            assertThat(unmatched(SwitchMetrics.UNMATCHED_NO_ORIGINAL)).isEqualTo(1.0);

            IsoMessage otherCard = reversalOf(sale, "000603").set(2, SwitchFixture.read(other).pan())
                    .set(14, SwitchFixture.read(other).expiryYymm());
            assertThat(terminal.send(otherCard).getString(39)).isEqualTo("00");
            assertThat(unmatched(SwitchMetrics.UNMATCHED_OTHER_CARD)).isEqualTo(1.0);
            // the sale stands; the reversal of another amount holds the sale's key on the days either side
            assertThat(fixture.journal().of(terminal.terminalId(), "000601")).filteredOn(row -> row.type().equals("PURCHASE"))
                    .extracting(row -> row.state()).containsExactly("APPROVED");
        }
        assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 3_000);
        assertThat(unmatched(SwitchMetrics.UNMATCHED_NO_ORIGINAL)).isEqualTo(1.0);
    }

    private double unmatched(String reason) {
        return fixture.node().registry().get(SwitchMetrics.REVERSALS_UNMATCHED).tag("reason", reason).counter().count();
    }

    /**
     * Regression: a reversal under a STAN its terminal had already used that day for the reversal of
     * another purchase was answered 00 from the journal (as if it were a repeat of that reversal),
     * while the purchase it named stayed approved: the terminal cancelled a sale the card stayed
     * debited for. It is now declined 94, like any other transaction under a STAN already used.
     */
    @Test
    void aReversalUnderAStanAlreadyUsedForAnotherReversalIsDeclinedNotAcknowledged() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(4);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            IsoMessage first = terminal.pinPurchase(card, "000401", 1_100);
            assertThat(terminal.send(first).getString(39)).isEqualTo("00");
            assertThat(terminal.send(reversalOf(first, "000402")).getString(39)).isEqualTo("00");
            IsoMessage second = terminal.pinPurchase(card, "000403", 2_200);
            assertThat(terminal.send(second).getString(39)).isEqualTo("00");

            assertThat(terminal.send(reversalOf(second, "000402")).getString(39)).isEqualTo("94");
            assertThat(fixture.journal().find(terminal.terminalId(), "000403").map(row -> row.state()))
                    .contains("APPROVED");
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> issuer.available(card) == IssuerSimulator.OPENING_BALANCE_MINOR - 2_200);
    }

    /**
     * Regression: a purchase and a pre-authorization of the same amount under the same STAN (the
     * idempotency key holds the message class, so both are taken) and then the reversal of the
     * purchase, field 90 naming 0200: the switch reversed the newer record, the pre-authorization,
     * and the purchase the terminal cancelled stayed debited. The reversal now reverses the
     * transaction of the message class it names.
     */
    @Test
    void aReversalReversesTheMessageClassItNamesWhenAStanIsUsedInTwo() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(5);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            IsoMessage purchase = terminal.pinPurchase(card, "000501", 3_300);
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
            IsoMessage hold = terminal.requests().preAuthorization(SwitchFixture.read(card),
                    terminal.pinBlock(card.pin(), card.account().pan()), "000501", 3_300);
            assertThat(terminal.send(hold).getString(39)).isEqualTo("00");

            assertThat(terminal.send(reversalOf(purchase, "000502")).getString(39)).isEqualTo("00");
            assertThat(fixture.journal().of(terminal.terminalId(), "000501"))
                    .extracting(row -> row.mtiClass() + " " + (row.state().startsWith("REVERS") ? "reversed" : row.state()))
                    .containsExactlyInAnyOrder("010 APPROVED", "020 reversed");
        }
    }

    /**
     * A terminal that reused a STAN for a pre-authorization (0100) after a purchase (0200) of the
     * same card and amount reverses the pre-authorization, which never reached the switch. Regression:
     * found no 0100, the reversal took the purchase under that STAN instead (any class was taken when
     * the named one was not found): the card was credited for a sale that stands, and the
     * pre-authorization, arriving late, was approved and held. Now the purchase stands and the late
     * pre-authorization finds its key taken (94).
     */
    @Test
    void aReversalOfAPreAuthorizationNeverReceivedDoesNotReverseAPurchaseUnderTheSameStan() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(6);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            assertThat(terminal.send(terminal.pinPurchase(card, "000801", 3_300)).getString(39)).isEqualTo("00");
            IsoMessage hold = terminal.requests().preAuthorization(SwitchFixture.read(card),
                    terminal.pinBlock(card.pin(), card.account().pan()), "000801", 3_300);

            assertThat(terminal.send(reversalOf(hold, "000802")).getString(39)).isEqualTo("00");
            assertThat(terminal.send(hold).getString(39)).as("the pre-authorization, arriving after its reversal").isEqualTo("94");
            assertThat(fixture.journal().of(terminal.terminalId(), "000801"))
                    .filteredOn(row -> row.mtiClass().equals("020")).extracting(row -> row.state()).containsExactly("APPROVED");
        }
        assertThat(issuer.available(card)).as("the purchase stands, nothing held").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 3_300);
    }

    /**
     * A purchase dated by its terminal's local date, the day before the date its reversal's field 90
     * names (field 7, GMT: a terminal west of GMT), and a pre-authorization under the same STAN, card
     * and amount on the named date. Regression: the reversal (naming 0200) looked at the named date
     * first and, finding no purchase there, took the pre-authorization: its hold was released and the
     * purchase the terminal cancelled stayed debited. The named class is now looked for on every date first.
     */
    @Test
    void aReversalFindsTheClassItNamesOnTheDayBeforeBeforeAnotherClassOnTheNamedDay() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(7);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        String mmdd = String.format(java.util.Locale.ROOT, "%02d%02d", today.getMonthValue(), today.getDayOfMonth());
        java.time.LocalDate yesterday = today.minusDays(1);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            IsoMessage purchase = terminal.pinPurchase(card, "000901", 2_200)
                    .set(13, String.format(java.util.Locale.ROOT, "%02d%02d", yesterday.getMonthValue(), yesterday.getDayOfMonth()));
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
            IsoMessage hold = terminal.requests().preAuthorization(SwitchFixture.read(card),
                    terminal.pinBlock(card.pin(), card.account().pan()), "000901", 2_200).set(13, mmdd);
            assertThat(terminal.send(hold).getString(39)).isEqualTo("00");

            IsoMessage reversal = reversalOf(purchase, "000902").set(90, "0200" + "000901" + mmdd + "120000" + "0".repeat(22));
            assertThat(terminal.send(reversal).getString(39)).isEqualTo("00");
            assertThat(fixture.journal().of(terminal.terminalId(), "000901"))
                    .extracting(row -> row.mtiClass() + " " + (row.state().startsWith("REVERS") ? "reversed" : row.state()))
                    .containsExactlyInAnyOrder("010 APPROVED", "020 reversed");
        }
    }

    @Test
    void aPurchaseTheIssuerNeverAnsweredIsAnswered91AndReversedUntilTheMoneyIsBack() throws IOException {
        IssuerSimulator issuer = fixture.issuer();
        IssuedCard card = issuer.card(2);
        try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1)) {
            issuer.faults(FaultPlan.none().withNoAnswerShare(1.0));
            IsoMessage purchase = terminal.pinPurchase(card, "000301", 3_000);
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("91");
            issuer.faults(FaultPlan.none());
            await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.journal().find(terminal.terminalId(), "000301")
                    .map(row -> row.state().equals("REVERSED")).orElse(false));
        }
        assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }
}
