package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A UnionPay terminal may form its PIN block without the PAN (field 53.1 = 1, ANSI X9.8 without
 * PAN: format 0 over a PAN of zeros, cup-pos.md 4.4). The switch re-forms it with the card's PAN as
 * it translates it for the issuer; before, it read every block as bound to the PAN, so such a
 * terminal's right PIN reached the issuer as another PIN (or failed the block's check).
 */
class PinWithoutPanTest extends EndToEndScenarios {
    private static final String NO_PAN = "0000000000000";

    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(20).withTerminalsPerDialect(4);
    }

    @Test
    void aPinBlockFormedWithoutThePanIsApprovedWithTheRightPin() throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);

        IsoMessage answer = terminal.send(withoutPan(terminal, card, card.pin(), 1_200));

        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 1_200);
    }

    @Test
    void aPinBlockFormedWithoutThePanIsDeclinedWithAWrongPin() throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 2);
        String wrong = card.pin().equals("0000") ? "1111" : "0000";

        IsoMessage answer = terminal.send(withoutPan(terminal, card, wrong, 1_300));

        assertThat(answer.getString(39)).isEqualTo("55");
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    private IsoMessage withoutPan(TerminalSide terminal, IssuedCard card, String pin, long amountMinor) {
        return terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(pin, NO_PAN), stan(), amountMinor)
                .set(53, "1600000000000000");
    }
}
