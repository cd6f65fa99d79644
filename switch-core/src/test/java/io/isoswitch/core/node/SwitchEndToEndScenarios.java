package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The whole path over real TCP: an ISO terminal signs on and sends PIN purchases through a switch
 * node to the issuer simulator, which checks the PIN re-encrypted under its ZPK and keeps the
 * ledger that tells whether money moved; the journal shows what the switch made durable. Run on
 * each journal database by a subclass.
 */
abstract class SwitchEndToEndScenarios extends EndToEndScenarios {

    private TerminalSide terminal() throws IOException {
        return fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
    }

    private IsoMessage purchase(TerminalSide terminal, IssuedCard card, String pin, String stan, long amount) {
        return terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(pin, card.account().pan()), stan, amount);
    }

    @Test
    void aPinPurchaseIsApprovedByTheIssuerAndDebitsTheCardOnce() throws IOException {
        IssuedCard card = fixture.issuer().card(0);
        TerminalSide terminal = terminal();
        IsoMessage answer = terminal.send(purchase(terminal, card, card.pin(), "000002", 2_500));
        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.getString(38)).isNotBlank();
        assertThat(answer.getString(37)).hasSize(12);
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 2_500);
        JournalRows.Row row = fixture.journal().find(terminal.terminalId(), "000002").orElseThrow();
        assertThat(row.state()).isEqualTo("APPROVED");
        assertThat(row.responseCode()).isEqualTo("00");
        assertThat(row.authCode()).isEqualTo(answer.getString(38));
        assertThat(row.switchRrn()).isEqualTo(answer.getString(37));
        assertThat(row.amountMinor()).isEqualTo(2_500);
        String pan = card.account().pan();
        assertThat(row.maskedPan()).startsWith(pan.substring(0, 6)).endsWith(pan.substring(12)).isNotEqualTo(pan);
    }

    @Test
    void aRepeatedPurchaseIsAnsweredFromTheJournalAndNeverDebitsTwice() throws IOException {
        IssuedCard card = fixture.issuer().card(1);
        TerminalSide terminal = terminal();
        IsoMessage first = terminal.send(purchase(terminal, card, card.pin(), "000003", 1_000));
        IsoMessage repeat = terminal.send(purchase(terminal, card, card.pin(), "000003", 1_000));
        assertThat(repeat.getString(39)).isEqualTo(first.getString(39)).isEqualTo("00");
        assertThat(repeat.getString(38)).isEqualTo(first.getString(38));
        assertThat(repeat.getString(37)).isEqualTo(first.getString(37));
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 1_000);
        assertThat(fixture.journal().of(terminal.terminalId(), "000003")).hasSize(1);
    }

    @Test
    void aWrongPinIsDeclinedByTheIssuerAndMovesNoMoney() throws IOException {
        IssuedCard card = fixture.issuer().card(2);
        String wrong = card.pin().equals("0000") ? "1111" : "0000";
        TerminalSide terminal = terminal();
        assertThat(terminal.send(purchase(terminal, card, wrong, "000004", 1_000)).getString(39)).isEqualTo("55");
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        assertThat(fixture.journal().find(terminal.terminalId(), "000004").orElseThrow().state()).isEqualTo("DECLINED");
    }

    @Test
    void aCardOfABinWithoutRouteIsDeclined15() throws IOException {
        TerminalSide terminal = terminal();
        IsoMessage request = new IsoMessage("0200").set(2, "4111111111111111").set(3, "000000").set(4, "000000001000")
                .set(11, "000005").set(14, "3012").set(22, "021").set(41, terminal.terminalId())
                .set(42, SwitchFixture.MERCHANT).set(49, "156");
        assertThat(terminal.send(request).getString(39)).isEqualTo("15");
        assertThat(fixture.journal().find(terminal.terminalId(), "000005").orElseThrow().responseCode()).isEqualTo("15");
    }
}
