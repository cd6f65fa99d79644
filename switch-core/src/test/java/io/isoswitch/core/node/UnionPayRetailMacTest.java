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
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.wire.MessageMacs;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        // the fixture's own ports, the cup-pos one X9.19, and a second cup-pos port that keeps the ECB MAC
        return defaults.withTerminalsPerDialect(4).withConfig(c -> {
            List<ListenerConfig> listeners = new ArrayList<>(c.listeners().stream()
                    .map(l -> l.dialect().equals("cup-pos") ? l.withMac(ListenerConfig.MAC_X9_19) : l).toList());
            listeners.add(new ListenerConfig("cup-pos-ecb", "127.0.0.1", 0, "cup-pos", null, 0, 0, 0, 0));
            return c.withListeners(listeners);
        });
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

    /**
     * A terminal signed on for single-length keys (NMIC 001) at an ECB port of the deployment, which
     * gives them, is told to sign on again (77) at the X9.19 port: X9.19 under them is a single-DES
     * CBC-MAC. Regression: an outside judge rewrote a terminal's sign-on from 003 to 001 at the ECB
     * port (a sign-on carries no MAC) and had its X9.19 purchases approved at the X9.19 port.
     */
    @Test
    void keysOfASingleLengthSignOnAtAnotherPortAreRefusedOnAnX919Port() throws Exception {
        int ecbPort = fixture.node().terminalPorts().getLast();
        try (TerminalSide atEcb = fixture.connect(TerminalDialect.CUP_POS, 4).anotherConnection(ecbPort);
             TerminalSide atX919 = atEcb.anotherConnection(fixture.port(TerminalDialect.CUP_POS))) {
            refusedOnTheX919Port(atEcb, atX919);
        }
    }

    private void refusedOnTheX919Port(TerminalSide atEcb, TerminalSide atX919) throws Exception {
        IsoMessage signOn = atEcb.sendPlain(new IsoMessage("0800").set(11, stan()).set(41, atEcb.terminalId())
                .set(42, SwitchFixture.MERCHANT).set(60, "00000001001"));
        assertThat(signOn.getString(39)).isEqualTo("00");
        // field 62: PIK 8 + check value 4, MAK 8 + check value 4; a single-length key is K twice to 3DES
        byte[] keys = signOn.getBytes(62);
        byte[] makCryptogram = Arrays.copyOfRange(keys, 12, 20);
        byte[] doubled = new byte[16];
        System.arraycopy(makCryptogram, 0, doubled, 0, 8);
        System.arraycopy(makCryptogram, 0, doubled, 8, 8);
        SecureKey mak = fixture.hsm().importKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY, doubled, fixture.tmk(),
                Arrays.copyOfRange(keys, 20, 24));

        IssuedCard card = card();
        IsoMessage purchase = atEcb.requests().purchase(SwitchFixture.read(card), null, stan(), 100);
        byte[] maced = MessageMacs.encodeSigned(purchase, TerminalDialect.CUP_POS.spec(),
                block -> fixture.hsm().generateMac(mak, MacAlgorithm.ANSI_X9_19, block, 0, block.length));
        IsoMessage answer = IsoMessage.decode(TerminalDialect.CUP_POS.spec(), atX919.client().exchangeRaw(maced));
        assertThat(answer.getString(39)).isEqualTo("77");
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    /** The offset just past field 4 (n12: six BCD bytes) in an encoded request body. */
    private static int amountEnd(byte[] body) {
        IsoMessageView view = new IsoMessageView(TerminalDialect.CUP_POS.spec()).wrap(Unpooled.wrappedBuffer(body));
        return view.contentOffset(4) + 6;
    }
}
