package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An issuer approves a purchase (and books it as asked) but its answer names another amount
 * (field 4, code 00: not a partial approval), another terminal (41) or another RRN (37). Its
 * answer is matched by class, STAN and institution, so before it was booked as the purchase's
 * approval: the terminal heard 00 for an answer that was not the answer to its request as sent.
 * Such an answer is now taken as no answer: the terminal hears 91 and the purchase is reversed,
 * so the card ends whole, as its terminal was told.
 */
class IssuerAnswerEchoesTest extends EndToEndScenarios {
    private static final long AMOUNT = 1_234;

    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @AfterEach
    void honestIssuer() {
        fixture.issuer().rewriteAnswers(UnaryOperator.identity());
    }

    @Test
    void anApprovalNamingAnotherAmountIsReversedAndAnswered91() throws Exception {
        assertTakenAsNoAnswer(4, "000000001235");
    }

    @Test
    void anApprovalNamingAnotherTerminalIsReversedAndAnswered91() throws Exception {
        assertTakenAsNoAnswer(41, "ZZ999999");
    }

    @Test
    void anApprovalNamingAnotherRrnIsReversedAndAnswered91() throws Exception {
        assertTakenAsNoAnswer(37, "999999999999");
    }

    @Test
    void anApprovalEchoingTheRequestIsBookedAsEver() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), AMOUNT)).getString(39)).isEqualTo("00");
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - AMOUNT);
    }

    private void assertTakenAsNoAnswer(int field, String value) throws Exception {
        IssuedCard card = card();
        String stan = stan();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        fixture.issuer().rewriteAnswers(answer -> {
            if (answer.mti().equals("0210")) {
                answer.set(field, value);
            }
            return answer;
        });
        IsoMessage purchase = terminal.pinPurchase(card, stan, AMOUNT);
        assertThat(terminal.send(purchase).getString(39)).as("an approval that names field " + field + " otherwise").isEqualTo("91");
        assertThat(terminal.send(purchase).getString(39)).as("its repeat").isEqualTo("91");
        fixture.issuer().rewriteAnswers(UnaryOperator.identity());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("REVERSED");
            assertThat(fixture.issuer().available(card)).as("the card, as its terminal was told").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        });
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }
}
