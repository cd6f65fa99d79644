package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A UnionPay chip terminal that ran the issuer scripts an answer carried reports their result in a
 * script result notification (0620, 60.3 951, tag DF31 in field 55; cup-pos.md 5 and 11). The
 * switch acknowledges it 00 in a 0630, so that the terminal stops sending it again, and counts it by
 * result; refused, the terminal would keep it and resend it for ever.
 */
class ScriptResultNotificationTest extends EndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(20).withTerminalsPerDialect(4);
    }

    @Test
    void aScriptResultNotificationIsAcknowledgedAndCountedByResult() throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 3);
        String stan = stan();
        IsoMessage sale = terminal.pinPurchase(card, stan, 500);
        IsoMessage saleAnswer = terminal.send(sale);
        assertThat(saleAnswer.getString(39)).isEqualTo("00");
        double before = successfulResults();

        IsoMessage answer = terminal.send(notification(terminal, card, sale, saleAnswer, (byte) 0x20));

        assertThat(answer.mti()).isEqualTo("0630");
        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(successfulResults()).isEqualTo(before + 1);
    }

    @Test
    void aScriptResultNotificationFromAnIsoTerminalIsNotATransaction() throws IOException {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 3);
        IsoMessage notification = new IsoMessage("0620").set(11, stan()).set(41, terminal.terminalId())
                .set(42, SwitchFixture.MERCHANT).set(70, "951");

        IsoMessage answer = terminal.send(notification);

        assertThat(answer.getString(39)).isEqualTo("12");
    }

    private IsoMessage notification(TerminalSide terminal, IssuedCard card, IsoMessage sale, IsoMessage saleAnswer, byte result) {
        return new IsoMessage("0620").set(2, card.account().pan()).set(4, sale.getString(4)).set(11, stan())
                .set(22, "051").set(37, saleAnswer.getString(37)).set(41, terminal.terminalId()).set(42, SwitchFixture.MERCHANT)
                .set(49, "156").set(55, new byte[] {(byte) 0xDF, 0x31, 0x05, result, 0x00, 0x00, 0x00, 0x00})
                .set(60, "00" + terminal.batch() + "951").set(61, terminal.batch() + stan() + saleAnswer.getString(13));
    }

    private double successfulResults() {
        var counter = fixture.node().registry().find(SwitchMetrics.SCRIPT_RESULTS).tag("result", "successful").counter();
        return counter == null ? 0 : counter.count();
    }
}
