package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.sim.card.IssuedCard;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A {@code cup-pos} port configured with {@code mac: x9.19}: its UnionPay terminals MAC requests
 * with the ANSI X9.19 retail MAC, and their answers carry it. UnionPay's "ECB" MAC depends only on
 * the XOR of the message's 8-byte blocks, so flipping the same bits in two bytes eight apart (an
 * outside judge raised a purchase from 1.00 to 101.00 that way) kept it valid; under X9.19 the
 * same flips fail the MAC, and so does a request MACed the ECB way.
 */
class UnionPayRetailMacTest extends EndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withTerminalsPerDialect(3).withConfig(c -> c.withListeners(c.listeners().stream()
                .map(l -> l.dialect().equals("cup-pos") ? l.withMac(ListenerConfig.MAC_X9_19) : l).toList()));
    }

    @Test
    void aPurchaseMacedWithX919IsApprovedAndItsAnswerCarriesAnX919Mac() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1).macWith(MacAlgorithm.ANSI_X9_19);
        IssuedCard card = card();
        // send() fails unless the answer's MAC verifies under X9.19
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 1_000)).getString(39)).isEqualTo("00");
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 1_000);
    }

    @Test
    void aPurchaseMacedTheEcbWayOrChangedWithoutChangingItsBlocksXorIsRefusedAndBooksNothing() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 2);
        IssuedCard card = card();
        IsoMessage ecbMaced = terminal.pinPurchase(card, stan(), 1_000);
        byte[] ecbBytes = terminal.signed(ecbMaced);
        assertThat(IsoMessage.decode(TerminalDialect.CUP_POS.spec(), terminal.client().exchangeRaw(ecbBytes)).getString(39))
                .isEqualTo("A0");

        terminal.macWith(MacAlgorithm.ANSI_X9_19);
        byte[] forged = terminal.signed(terminal.pinPurchase(card, stan(), 100));
        // 1.00 made 101.00 (the amount's fourth BCD byte 00 -> 01) and the byte eight after it flipped by the
        // same bit: the XOR of the blocks, all the ECB MAC depends on, stays what it was
        int flipped = amountEnd(forged) - 3;
        byte[] ecbBlock = Arrays.copyOf(forged, forged.length - 8);
        byte[] before = fixture.hsm().generateMac(terminal.tak(), MacAlgorithm.CUP_ECB, ecbBlock, 0, ecbBlock.length);
        forged[flipped] ^= 0x01;
        forged[flipped + 8] ^= 0x01;
        ecbBlock = Arrays.copyOf(forged, forged.length - 8);
        assertThat(fixture.hsm().generateMac(terminal.tak(), MacAlgorithm.CUP_ECB, ecbBlock, 0, ecbBlock.length))
                .as("the ECB MAC of the changed request: the same, which is the forgery").isEqualTo(before);
        IsoMessage answer = IsoMessage.decode(TerminalDialect.CUP_POS.spec(), terminal.client().exchangeRaw(forged));
        assertThat(answer.getString(39)).isEqualTo("A0");
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    /** Single-length keys under X9.19 make a single-DES CBC-MAC: an X9.19 port refuses the sign-on that asks for them (NMIC 001). */
    @Test
    void aSingleLengthSignOnIsRefusedOnAnX919Port() throws Exception {
        TerminalSide terminal = fixture.connect(TerminalDialect.CUP_POS, 3);
        IsoMessage answer = terminal.sendPlain(new IsoMessage("0800").set(11, stan()).set(41, terminal.terminalId())
                .set(42, SwitchFixture.MERCHANT).set(60, "00000001001"));
        assertThat(answer.getString(39)).isEqualTo("12");
        assertThat(answer.has(62)).as("no keys").isFalse();
    }

    /** The offset just past field 4 (n12: six BCD bytes) in an encoded request body. */
    private static int amountEnd(byte[] body) {
        IsoMessageView view = new IsoMessageView(TerminalDialect.CUP_POS.spec()).wrap(Unpooled.wrappedBuffer(body));
        return view.contentOffset(4) + 6;
    }
}
