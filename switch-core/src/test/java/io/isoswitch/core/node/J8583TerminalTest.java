package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.solab.iso8583.IsoMessage;
import io.isoswitch.core.testing.FreshSwitchPerTest;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interop with a second ISO 8583 library we did not write, j8583, as the terminal
 * ({@link J8583Terminal}): it builds every request and parses every answer, so a change to the
 * switch's wire format (a field's encoding, a length prefix, the bitmap, the MAC's coverage) that
 * jPOS-based tests would share with our codec fails here too.
 */
class J8583TerminalTest extends FreshSwitchPerTest {
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;
    private static final DateTimeFormatter MMDDHHMMSS = DateTimeFormatter.ofPattern("MMddHHmmss", Locale.ROOT);
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);
    private static final DateTimeFormatter MMDD = DateTimeFormatter.ofPattern("MMdd", Locale.ROOT);

    private int stan;

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "ISO87_ASCII"})
    void aJ8583TerminalSignsOnBuysReversesAndIsToldWhatIsMalformed(TerminalDialect dialect) throws Exception {
        IssuedCard card = fixture.issuer().card(0);
        try (J8583Terminal t = new J8583Terminal(fixture, dialect, SwitchFixture.terminalId(dialect, 1))) {
            t.signOn(nextStan());

            IsoMessage purchase = t.mac(purchase(t, card, "000000004321", true));
            J8583Terminal.Answer approved = t.exchange(purchase);
            assertThat(approved.text(39)).isEqualTo("00");
            assertThat(approved.text(4)).as("amount echoed").isEqualTo("000000004321");
            assertThat(approved.text(2)).as("PAN echoed").isEqualTo(card.account().pan());
            assertThat(approved.text(37)).as("RRN").hasSize(12);
            assertThat(approved.text(38)).as("authorization code").hasSize(6);
            assertThat(approved.message().hasField(64)).as("the approval's MAC").isTrue();
            assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING - 4_321);

            // the reversal names its original in field 90, so its MAC goes in 128, and so does its answer's
            IsoMessage reversal = reversalOf(t, purchase);
            J8583Terminal.Answer reversed = t.send(reversal);
            assertThat(reversed.text(39)).isEqualTo("00");
            assertThat(reversed.text(90)).as("field 90 echoed").isEqualTo(reversal.getField(90).toString());
            assertThat(reversed.message().hasField(128)).as("the 0410's MAC in 128").isTrue();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING));

            // a purchase without its amount: a format error (30), unMACed, naming the STAN and terminal
            IsoMessage noAmount = purchase(t, card, "000000000100", false);
            noAmount.removeFields(4);
            J8583Terminal.Answer formatError = t.send(noAmount);
            assertThat(formatError.text(39)).isEqualTo("30");
            assertThat(formatError.message().hasField(64)).isFalse();

            // a MAC over other bytes than those sent: 63, unMACed
            IsoMessage tampered = t.mac(purchase(t, card, "000000000200", false));
            t.set(tampered, 4, "000000000201");
            assertThat(t.exchange(tampered).text(39)).isEqualTo("63");

            // letters where a number belongs (iso87ascii), or a nibble that is no digit (iso87binary): 30 on a connection that goes on
            IsoMessage garbled = t.mac(purchase(t, card, "000000000300", false));
            byte[] bytes = garbled.writeData();
            int amountAt = dialect == TerminalDialect.ISO87_ASCII
                    ? new String(bytes, StandardCharsets.ISO_8859_1).indexOf("000000000300")
                    : 2 + 8 + 1 + card.account().pan().length() / 2 + 3; // MTI, bitmap, field 2 (length, BCD), field 3
            bytes[amountAt] = dialect == TerminalDialect.ISO87_ASCII ? (byte) 'A' : (byte) 0xAB;
            t.sendBody(bytes);
            J8583Terminal.Answer undecodable = t.read();
            assertThat(undecodable.text(39)).isEqualTo("30");
            assertThat(undecodable.text(11)).isEqualTo(garbled.getField(11).toString());
            assertThat(undecodable.text(41)).isEqualTo(t.terminalId());
            assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING);

            // two requests in one write: both answered, matched by STAN (answers may come in either order)
            IsoMessage first = t.mac(purchase(t, card, "000000000400", true));
            IsoMessage second = t.mac(purchase(t, card, "000000000500", true));
            byte[] one = first.writeData();
            byte[] two = second.writeData();
            t.sendBodies(one, two);
            java.util.Map<String, String> codes = new java.util.HashMap<>();
            for (int i = 0; i < 2; i++) {
                J8583Terminal.Answer answer = t.read();
                codes.put(answer.text(11), answer.text(39));
            }
            assertThat(codes).containsEntry(first.getField(11).toString(), "00").containsEntry(second.getField(11).toString(), "00");
            assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING - 900);
        }
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /**
     * j8583's LLBCDBIN pads an odd digit count with a leading nibble, where iso87binary (as jPOS's
     * IFB_LLNUM) has it trailing (docs/terminal-protocol.md): an odd-length track 2 so packed reads
     * as another card than field 2's, and is refused 14 before anything moves.
     */
    @Test
    void anOddTrackPackedTheJ8583WayIsAnotherCardAndMovesNothing() throws Exception {
        IssuedCard card = fixture.issuer().card(2);
        try (J8583Terminal t = new J8583Terminal(fixture, TerminalDialect.ISO87_BINARY, SwitchFixture.terminalId(TerminalDialect.ISO87_BINARY, 2))) {
            t.signOn(nextStan());
            String pan = card.account().pan();
            IsoMessage purchase = purchase(t, card, "000000000700", true);
            t.set(purchase, 35, pan + "D" + SwitchFixture.read(card).expiryYymm() + "101" + "0".repeat(11)); // 16 + 1 + 4 + 14 = 35 digits
            assertThat(t.send(purchase).text(39)).isEqualTo("14");
            assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING);
        }
    }

    /**
     * Regression: a terminal that sends its purchase and then half-closes the connection (shuts its
     * output down, as a one-shot client or a script does, and waits for its answer) got none: the
     * switch closed the connection at the end of input while the purchase was at the issuer, which
     * approved and debited it. The switch now answers what it read, and then closes.
     */
    @Test
    void aTerminalThatHalfClosesAfterItsPurchaseStillGetsItsAnswerAndThenTheClose() throws Exception {
        IssuedCard card = fixture.issuer().card(1);
        try (J8583Terminal t = new J8583Terminal(fixture, TerminalDialect.ISO87_BINARY, SwitchFixture.terminalId(TerminalDialect.ISO87_BINARY, 1))) {
            t.signOn(nextStan());
            fixture.issuer().holdAnswers();
            IsoMessage purchase = t.mac(purchase(t, card, "000000001500", true));
            t.sendBody(purchase.writeData());
            t.shutdownOutput();
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.issuer().balance(card) == OPENING - 1_500);
            fixture.issuer().releaseAnswers();

            J8583Terminal.Answer answer = t.read();
            assertThat(answer.text(39)).isEqualTo("00");
            assertThat(answer.text(11)).isEqualTo(purchase.getField(11).toString());
            assertThat(t.readAfterAnswers()).as("the switch closes once it has answered").isEqualTo(-1);
        }
    }

    private String nextStan() {
        return String.format(Locale.ROOT, "%06d", ++stan);
    }

    private IsoMessage purchase(J8583Terminal t, IssuedCard card, String amount, boolean pin) throws Exception {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        String pan = card.account().pan();
        IsoMessage m = t.message(0x0200);
        t.set(m, 2, pan).set(m, 3, "000000").set(m, 4, amount).set(m, 7, now.format(MMDDHHMMSS)).set(m, 11, nextStan())
                .set(m, 12, now.format(HHMMSS)).set(m, 13, now.format(MMDD)).set(m, 14, SwitchFixture.read(card).expiryYymm())
                .set(m, 22, pin ? "021" : "012").set(m, 25, "00").set(m, 41, t.terminalId())
                .set(m, 42, SwitchFixture.MERCHANT).set(m, 49, "156");
        if (pin) {
            t.set(m, 52, t.pinBlock(card.pin(), pan));
        }
        return m;
    }

    /** ISO 8583:1987 field 90 of a reversal: original MTI, STAN, transmission date and time, acquirer and forwarder ids. */
    private static String originalData(IsoMessage original) {
        return String.format(Locale.ROOT, "%04x", original.getType()) + original.getField(11) + original.getField(7) + "0".repeat(22);
    }

    private IsoMessage reversalOf(J8583Terminal t, IsoMessage original) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        IsoMessage m = t.message(0x0400);
        for (int field : new int[] {2, 3, 4, 14, 22, 25, 41, 42, 49}) {
            m.setField(field, original.getField(field).clone());
        }
        t.set(m, 7, now.format(MMDDHHMMSS)).set(m, 11, nextStan()).set(m, 12, now.format(HHMMSS)).set(m, 13, now.format(MMDD))
                .set(m, 90, originalData(original));
        return m;
    }
}
