package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A UnionPay SM4 (国密) sign-on, 60.3 = 006, asks for 60 bytes of SM4 work keys (cup-pos.md 7.2).
 * The switch issues TDES keys only: it refuses the sign-on 12 with no keys, counts it like any
 * refusal, and leaves the terminal's current session alone (review15k finding 2: it answered 00
 * with 40 bytes of TDES keys, which an SM4 terminal takes for SM4 keys).
 */
class Sm4SignOnTest extends EndToEndScenarios {
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(4).withTerminalsPerDialect(2);
    }

    @Test
    void anSm4SignOnIsRefused12WithoutKeysAndCounted() throws IOException {
        TerminalSide terminal = fixture.connect(TerminalDialect.CUP_POS, 1);
        double refusedBefore = answered("sign_on", "12");
        IsoMessage answer = terminal.client().exchange(sm4SignOn(terminal));
        assertThat(answer.getString(39)).isEqualTo("12");
        assertThat(answer.has(62)).as("no work keys").isFalse();
        assertThat(answered("sign_on", "12")).isEqualTo(refusedBefore + 1);
    }

    @Test
    void aRefusedSm4SignOnLeavesTheTerminalsKeysAsTheyWere() throws IOException {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 2);
        assertThat(terminal.client().exchange(sm4SignOn(terminal)).getString(39)).isEqualTo("12");
        IssuedCard card = card();
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 1_000)).getString(39)).isEqualTo("00");
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING - 1_000);
    }

    private IsoMessage sm4SignOn(TerminalSide terminal) {
        return new IsoMessage("0800").set(11, stan()).set(41, terminal.terminalId()).set(42, SwitchFixture.MERCHANT)
                .set(60, "00" + terminal.batch() + "006");
    }

    private double answered(String type, String code) {
        var counter = fixture.node().registry().find(SwitchMetrics.TRANSACTIONS).tag("type", type).tag("response_code", code)
                .tag("dialect", TerminalDialect.CUP_POS.configName()).counter();
        return counter == null ? 0 : counter.count();
    }
}
