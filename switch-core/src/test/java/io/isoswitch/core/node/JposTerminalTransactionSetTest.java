package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.FreshSwitchPerTest;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.sim.card.IssuedCard;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every transaction an ISO 8583:1987 POS sends, from jPOS's stock channel and packager (not our
 * codec, not our security module): purchase and its repeat (0201), balance inquiry, void, refund,
 * pre-authorization and its completion (0220), pre-authorization void, reversal (0400 with field 90,
 * MAC in 128) and its repeat (0401), a balanced settlement (0500), then an unbalanced one (95) and
 * its batch upload (0320 201 and 202). Each answer is checked as {@link JposIsoTerminal} says (MTI,
 * echoed fields, MAC); approvals carry an authorization code (38) and the switch's RRN (37); the
 * issuer's balances and {@code iso-switch audit}'s comparison agree with what the terminal was told.
 */
class JposTerminalTransactionSetTest extends FreshSwitchPerTest {
    private static final DateTimeFormatter MMDD = DateTimeFormatter.ofPattern("MMdd", Locale.ROOT);
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    private int stan;

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "ISO87_ASCII"})
    void aJposTerminalRunsEveryPosTransactionAndTheMoneyReconciles(TerminalDialect dialect) throws Exception {
        try (JposIsoTerminal t = new JposIsoTerminal(fixture, dialect, SwitchFixture.terminalId(dialect, 1))) {
            t.signOn(nextStan());
            IssuedCard[] cards = fixture.issuer().cards().toArray(IssuedCard[]::new);

            ISOMsg purchase = t.mac(request(t, "0200", "000000", cards[0], 10_000, true));
            ISOMsg purchaseReply = t.exchange(purchase);
            approved(purchaseReply);
            // the repeat of a purchase whose answer the terminal did not get: the same answer, booked once
            ISOMsg repeat = (ISOMsg) purchase.clone();
            repeat.setMTI("0201");
            ISOMsg repeatReply = t.send(repeat);
            approved(repeatReply);
            assertThat(repeatReply.getString(37)).isEqualTo(purchaseReply.getString(37));
            assertThat(repeatReply.getString(38)).isEqualTo(purchaseReply.getString(38));

            ISOMsg balance = request(t, "0200", "310000", cards[1], -1, true);
            ISOMsg balanceReply = t.send(balance);
            assertThat(balanceReply.getString(39)).isEqualTo("00");
            assertThat(balanceReply.getString(54)).as("field 54, the balance").contains("156").contains(String.format(Locale.ROOT, "%012d", OPENING));

            ISOMsg toVoid = request(t, "0200", "000000", cards[2], 5_000, true);
            ISOMsg toVoidReply = approved(t.send(toVoid));
            ISOMsg voidReply = approved(t.send(linked(request(t, "0200", "020000", cards[2], 5_000, false), toVoidReply)));
            assertThat(voidReply.getString(37)).as("the void's own RRN").isNotEqualTo(toVoidReply.getString(37));

            ISOMsg toRefund = request(t, "0200", "000000", cards[3], 8_000, true);
            ISOMsg toRefundReply = approved(t.send(toRefund));
            approved(t.send(linked(request(t, "0200", "200000", cards[3], 3_000, false), toRefundReply)));

            ISOMsg preAuthReply = approved(t.send(request(t, "0100", "000000", cards[4], 20_000, true)));
            approved(t.send(linked(request(t, "0220", "000000", cards[4], 18_000, false), preAuthReply)));

            // a completion voided (ISO: a purchase void naming the completion's own RRN) gives the money back
            ISOMsg voidedPreAuth = approved(t.send(request(t, "0100", "000000", cards[1], 9_000, true)));
            ISOMsg voidedCompletion = approved(t.send(linked(request(t, "0220", "000000", cards[1], 9_000, false), voidedPreAuth)));
            approved(t.send(linked(request(t, "0200", "020000", cards[1], 9_000, false), voidedCompletion)));

            ISOMsg preAuthToVoid = approved(t.send(request(t, "0100", "000000", cards[5], 7_000, true)));
            approved(t.send(linked(request(t, "0100", "020000", cards[5], 7_000, false), preAuthToVoid)));

            ISOMsg toReverse = t.mac(request(t, "0200", "000000", cards[6], 6_000, true));
            approved(t.exchange(toReverse));
            ISOMsg reversal = reversalOf(t, toReverse);
            assertThat(t.send(reversal).getString(39)).isEqualTo("00");
            ISOMsg reversalRepeat = (ISOMsg) reversal.clone();
            reversalRepeat.setMTI("0401");
            reversalRepeat.unset(128);
            assertThat(t.send(reversalRepeat).getString(39)).isEqualTo("00");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(fixture.issuer().balance(cards[2])).isEqualTo(OPENING);
                assertThat(fixture.issuer().balance(cards[1])).isEqualTo(OPENING);
                assertThat(fixture.issuer().balance(cards[6])).isEqualTo(OPENING);
                assertThat(fixture.issuer().available(cards[5])).isEqualTo(OPENING);
            });
            assertThat(fixture.issuer().balance(cards[0])).isEqualTo(OPENING - 10_000);
            assertThat(fixture.issuer().balance(cards[3])).isEqualTo(OPENING - 8_000 + 3_000);
            assertThat(fixture.issuer().balance(cards[4])).isEqualTo(OPENING - 18_000);

            // debits: the purchase, the refunded purchase and the completion; credits: the refund
            String totals = "000000036000" + "003" + "000000003000" + "001" + "0" + "0".repeat(31);
            ISOMsg settleReply = t.send(settlement(t, totals, t.batch()));
            assertThat(settleReply.getString(39)).isEqualTo("00");
            assertThat(settleReply.getString(48)).startsWith("000000036000003000000003000001" + "1");

            ISOMsg next = request(t, "0200", "000000", cards[7], 1_500, true);
            approved(t.send(next));
            String nextBatch = String.format(Locale.ROOT, "%06d", Integer.parseInt(t.batch()) + 1);
            ISOMsg unbalanced = t.send(settlement(t, "0".repeat(62), nextBatch));
            assertThat(unbalanced.getString(39)).isEqualTo("95");
            assertThat(unbalanced.getString(48)).startsWith("000000001500001000000000000000" + "2");
            String detail = "01" + "00" + next.getString(11) + String.format(Locale.ROOT, "%20s", next.getString(2)).replace(' ', '0')
                    + "000000001500";
            assertThat(t.send(upload(t, detail, nextBatch + "201")).getString(39)).isEqualTo("00");
            assertThat(t.send(upload(t, "0001", nextBatch + "202")).getString(39)).isEqualTo("00");
        }
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /**
     * ISO 8583:1987: field 7 is the transmission date and time in GMT, 12 and 13 the terminal's local
     * time and date, and a reversal's field 90 names its original by the original's field 7. A
     * terminal whose local date is not the GMT date (a shop in UTC+8 before 08:00) stamps its sale
     * with one date in 13 and another in 7: the reversal must still find it, or the terminal is told
     * 00 while the card stays debited.
     */
    @Test
    void aReversalNamingItsOriginalByItsGmtTransmissionTimeFindsASaleWhoseLocalDateIsAnother() throws Exception {
        try (JposIsoTerminal t = new JposIsoTerminal(fixture, TerminalDialect.ISO87_BINARY, SwitchFixture.terminalId(TerminalDialect.ISO87_BINARY, 2))) {
            t.signOn(nextStan());
            IssuedCard card = fixture.issuer().card(0);
            ISOMsg sale = request(t, "0200", "000000", card, 4_000, true);
            LocalDateTime gmt = LocalDateTime.now(ZoneOffset.UTC);
            // a local clock whose date is never the GMT date: 14 hours ahead from noon GMT, 12 behind before
            LocalDateTime local = gmt.plusHours(gmt.getHour() >= 12 ? 14 : -12);
            sale.set(7, gmt.format(MMDD) + gmt.format(HHMMSS));
            sale.set(12, local.format(HHMMSS));
            sale.set(13, local.format(MMDD));
            approved(t.send(sale));
            assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING - 4_000);

            assertThat(t.send(reversalOf(t, sale)).getString(39)).isEqualTo("00");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING));
            assertThat(fixture.journal().find(t.terminalId(), sale.getString(11)).orElseThrow().state()).isIn("REVERSAL_PENDING", "REVERSED");
        }
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /** Where a terminal's clock is against GMT when its local date is not the GMT date. */
    enum LocalClock {
        /** east of GMT just after local midnight (UTC+8 before 08:00): field 13 is the day after field 7's date */
        EAST(1, "003000"),
        /** west of GMT just before local midnight (UTC-5 after 19:00): field 13 is the day before */
        WEST(-1, "233000");

        final int days;
        final String localTime;

        LocalClock(int days, String localTime) {
            this.days = days;
            this.localTime = localTime;
        }
    }

    /**
     * Regression: a reversal that arrives before its original (the sale delayed on the network or in
     * its terminal's retry) takes the original's key so that the late sale is declined. That key was
     * taken on the date field 90 names, the original's GMT transmission date (7), while the journal
     * keys the sale by its local date (13): where they differ, the late sale found no reservation,
     * was approved and debited the card, while its terminal took it as reversed.
     */
    @ParameterizedTest
    @EnumSource(LocalClock.class)
    void aSaleArrivingAfterItsReversalIsDeclinedWhateverItsLocalDate(LocalClock clock) throws Exception {
        try (JposIsoTerminal t = new JposIsoTerminal(fixture, TerminalDialect.ISO87_BINARY, SwitchFixture.terminalId(TerminalDialect.ISO87_BINARY, 1))) {
            t.signOn(nextStan());
            IssuedCard card = fixture.issuer().card(2);
            ISOMsg late = request(t, "0200", "000000", card, 3_500, true);
            LocalDateTime gmt = LocalDateTime.now(ZoneOffset.UTC);
            sale(late, gmt, gmt.toLocalDate().plusDays(clock.days), clock.localTime);

            assertThat(t.send(reversalOf(t, late)).getString(39)).isEqualTo("00");
            assertThat(t.send(late).getString(39)).isEqualTo("94");
            assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING);
            assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
        }
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /**
     * Regression: a reversal's reservations of its original's key are separate records; a switch that
     * died after writing some (the GMT date's) and before the rest and the reversal's own record left
     * the local date free. The late sale then got in and was approved, and the terminal's repeat of
     * the reversal found the reservation first and was acknowledged, moving nothing: the card stayed
     * debited for a sale its terminal took as reversed. The repeat now takes the key again and
     * reverses the sale it finds holding it.
     */
    @Test
    void aReversalRepeatedAfterItsReservationWasCutShortReversesTheSaleThatGotIn() throws Exception {
        try (JposIsoTerminal t = new JposIsoTerminal(fixture, TerminalDialect.ISO87_BINARY, SwitchFixture.terminalId(TerminalDialect.ISO87_BINARY, 1))) {
            t.signOn(nextStan());
            IssuedCard card = fixture.issuer().card(3);
            ISOMsg late = request(t, "0200", "000000", card, 2_700, true);
            LocalDateTime gmt = LocalDateTime.now(ZoneOffset.UTC);
            java.time.LocalDate localDate = gmt.toLocalDate().plusDays(1);
            sale(late, gmt, localDate, LocalClock.EAST.localTime);
            ISOMsg reversal = reversalOf(t, late);
            assertThat(t.send(reversal).getString(39)).isEqualTo("00");

            // as if the process died before the reservation on the sale's local date and the reversal's record were written
            try (java.sql.Connection c = backend.connect(); java.sql.PreparedStatement s = c.prepareStatement(
                    "DELETE FROM journal WHERE terminal_id = ? AND (stan = ? AND transaction_date = ? OR stan = ?)")) {
                s.setString(1, t.terminalId());
                s.setString(2, late.getString(11));
                s.setObject(3, localDate);
                s.setString(4, reversal.getString(11));
                assertThat(s.executeUpdate()).isEqualTo(2);
            }
            approved(t.send(late));
            assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING - 2_700);

            ISOMsg repeat = (ISOMsg) reversal.clone();
            repeat.setMTI("0401");
            repeat.unset(128);
            assertThat(t.send(repeat).getString(39)).isEqualTo("00");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING));
        }
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /** Stamps {@code sale} as sent at {@code gmt} (field 7) by a terminal whose local date and time are {@code localDate}, {@code localTime}. */
    private static void sale(ISOMsg sale, LocalDateTime gmt, java.time.LocalDate localDate, String localTime) throws Exception {
        sale.set(7, gmt.format(MMDD) + gmt.format(HHMMSS));
        sale.set(12, localTime);
        sale.set(13, localDate.format(MMDD));
    }

    /**
     * Declines as a strict third party reads them: the meaning of field 39, the echoed fields and the
     * MAC on every answer given after the MAC check (a wrong PIN 55, a card of no issuer 15, an amount
     * above the original 13), none where the switch answers before it (an expired card 54, a bad MAC
     * 63, a currency that is no ISO 4217 code 30), and nothing booked at the issuer; a completion or
     * void naming its pre-authorization by another approval code finds none (25).
     */
    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "ISO87_ASCII"})
    void declinesCarryTheirMeaningTheEchoedFieldsAndAMacWhereDocumented(TerminalDialect dialect) throws Exception {
        try (JposIsoTerminal t = new JposIsoTerminal(fixture, dialect, SwitchFixture.terminalId(dialect, 2))) {
            t.signOn(nextStan());
            IssuedCard card = fixture.issuer().card(1);
            String pan = card.account().pan();
            ISOMsg wrongPin = request(t, "0200", "000000", card, 1_000, true);
            wrongPin.set(52, t.pinBlock(card.pin().equals("1234") ? "4321" : "1234", pan));
            ISOMsg wrongPinReply = t.send(wrongPin);
            assertThat(wrongPinReply.getString(39)).isEqualTo("55");
            assertThat(wrongPinReply.hasField(64)).isTrue();

            ISOMsg noIssuer = request(t, "0200", "000000", card, 1_000, false);
            noIssuer.set(2, "5555555555554444");
            assertThat(t.send(noIssuer).getString(39)).isEqualTo("15");

            ISOMsg expired = request(t, "0200", "000000", card, 1_000, false);
            expired.set(14, "2001");
            ISOMsg expiredReply = t.send(expired);
            assertThat(expiredReply.getString(39)).isEqualTo("54");
            assertThat(expiredReply.hasField(64)).isFalse();

            ISOMsg badMac = t.mac(request(t, "0200", "000000", card, 1_000, false));
            badMac.set(4, "000000001001");
            ISOMsg badMacReply = t.exchange(badMac);
            assertThat(badMacReply.getString(39)).isEqualTo("63");
            assertThat(badMacReply.hasField(64)).isFalse();

            ISOMsg sale = request(t, "0200", "000000", card, 2_000, false);
            ISOMsg saleReply = approved(t.send(sale));
            assertThat(t.send(linked(request(t, "0200", "200000", card, 2_001, false), saleReply)).getString(39)).isEqualTo("13");
            assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING - 2_000);

            // three digits that are no ISO 4217 code are malformed (30); a code the merchant does not take is 13
            ISOMsg noCurrency = request(t, "0200", "000000", card, 1_000, false);
            noCurrency.set(49, "123");
            assertThat(t.send(noCurrency).getString(39)).isEqualTo("30");
            ISOMsg otherCurrency = request(t, "0200", "000000", card, 1_000, false);
            otherCurrency.set(49, "999");
            assertThat(t.send(otherCurrency).getString(39)).isEqualTo("13");

            // a pre-authorization's completion or void names it by its approval code too: another code finds no hold (25)
            ISOMsg preAuthReply = approved(t.send(request(t, "0100", "000000", card, 3_000, true)));
            String otherCode = preAuthReply.getString(38).equals("ZZZZZZ") ? "YYYYYY" : "ZZZZZZ";
            ISOMsg wrongCodeCompletion = linked(request(t, "0220", "000000", card, 3_000, false), preAuthReply);
            wrongCodeCompletion.set(38, otherCode);
            assertThat(t.send(wrongCodeCompletion).getString(39)).isEqualTo("25");
            ISOMsg wrongCodeVoid = linked(request(t, "0100", "020000", card, 3_000, false), preAuthReply);
            wrongCodeVoid.set(38, otherCode);
            assertThat(t.send(wrongCodeVoid).getString(39)).isEqualTo("25");
            approved(t.send(linked(request(t, "0220", "000000", card, 3_000, false), preAuthReply)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING - 2_000 - 3_000));
        }
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /**
     * ISO 8583:1987 chip requests: 9F02 must equal field 4 and 5F2A match field 49 (the card's
     * cryptogram covers the chip's figures). A purchase or pre-authorization whose field 55 names
     * another amount or currency is 30 and reaches no issuer; one whose tags agree is approved.
     * Only {@code iso87binary} carries field 55 as bytes (docs/field55.md).
     */
    @Test
    void aChipRequestWhoseField55NamesAnotherAmountOrCurrencyIsAFormatError() throws Exception {
        try (JposIsoTerminal t = new JposIsoTerminal(fixture, TerminalDialect.ISO87_BINARY, SwitchFixture.terminalId(TerminalDialect.ISO87_BINARY, 2))) {
            t.signOn(nextStan());
            IssuedCard[] cards = fixture.issuer().cards().toArray(IssuedCard[]::new);

            ISOMsg otherAmount = request(t, "0200", "000000", cards[0], 116, true);
            otherAmount.set(55, ChipField55.of(99_999, "156"));
            ISOMsg otherCurrency = request(t, "0200", "000000", cards[0], 116, true);
            otherCurrency.set(55, ChipField55.of(116, "840"));
            ISOMsg preAuthOtherCurrency = request(t, "0100", "000000", cards[1], 2_000, true);
            preAuthOtherCurrency.set(55, ChipField55.of(2_000, "978"));
            assertThat(t.send(otherAmount).getString(39)).as("9F02 is not field 4").isEqualTo("30");
            assertThat(t.send(otherCurrency).getString(39)).as("5F2A is not field 49").isEqualTo("30");
            assertThat(t.send(preAuthOtherCurrency).getString(39)).as("pre-authorization, 5F2A is not field 49").isEqualTo("30");
            assertThat(fixture.node().registry().find(SwitchMetrics.TRANSACTIONS).tag("response_code", "30").counters().stream()
                    .mapToDouble(c -> c.count()).sum()).as("counted as format errors").isEqualTo(3);
            assertThat(fixture.issuer().balance(cards[0])).isEqualTo(OPENING);
            assertThat(fixture.issuer().available(cards[1])).isEqualTo(OPENING);

            ISOMsg agreeing = request(t, "0200", "000000", cards[0], 116, true);
            agreeing.set(55, ChipField55.of(116, "156"));
            approved(t.send(agreeing));
            ISOMsg preAuthAgreeing = request(t, "0100", "000000", cards[1], 2_000, true);
            preAuthAgreeing.set(55, ChipField55.of(2_000, "156"));
            approved(t.send(preAuthAgreeing));
            assertThat(fixture.issuer().balance(cards[0])).isEqualTo(OPENING - 116);
            assertThat(fixture.issuer().available(cards[1])).isEqualTo(OPENING - 2_000);
        }
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    private String nextStan() {
        return String.format(Locale.ROOT, "%06d", ++stan);
    }

    /** A card request as a 1987 POS sends it: transmission time (7), local time and date (12, 13), the amount when there is one. */
    private ISOMsg request(JposIsoTerminal t, String mti, String processingCode, IssuedCard card, long amountMinor, boolean pin)
            throws Exception {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        String pan = card.account().pan();
        ISOMsg m = new ISOMsg(mti);
        m.set(2, pan);
        m.set(3, processingCode);
        if (amountMinor >= 0) {
            m.set(4, String.format(Locale.ROOT, "%012d", amountMinor));
        }
        m.set(7, now.format(MMDD) + now.format(HHMMSS));
        m.set(11, nextStan());
        m.set(12, now.format(HHMMSS));
        m.set(13, now.format(MMDD));
        m.set(14, SwitchFixture.read(card).expiryYymm());
        m.set(22, pin ? "021" : "012");
        m.set(25, "00");
        m.set(41, t.terminalId());
        m.set(42, SwitchFixture.MERCHANT);
        m.set(49, "156");
        if (pin) {
            m.set(52, t.pinBlock(card.pin(), pan));
        }
        return m;
    }

    /** Names the original by the RRN (37) and authorization code (38) its answer carried. */
    private static ISOMsg linked(ISOMsg request, ISOMsg originalReply) throws Exception {
        request.set(37, originalReply.getString(37));
        request.set(38, originalReply.getString(38));
        return request;
    }

    /** ISO 8583:1987 field 90: original MTI, STAN, transmission date and time (its field 7), acquirer and forwarder ids. */
    private ISOMsg reversalOf(JposIsoTerminal t, ISOMsg original) throws Exception {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        ISOMsg m = new ISOMsg("0400");
        for (int field : new int[] {2, 3, 4, 14, 22, 25, 41, 42, 49}) {
            m.set(field, original.getString(field));
        }
        m.set(7, now.format(MMDD) + now.format(HHMMSS));
        m.set(11, nextStan());
        m.set(12, now.format(HHMMSS));
        m.set(13, now.format(MMDD));
        m.set(90, original.getMTI() + original.getString(11) + original.getString(7) + "0".repeat(22));
        return m;
    }

    private ISOMsg settlement(JposIsoTerminal t, String field48, String batch) throws Exception {
        ISOMsg m = management(t, "0500");
        m.set(48, field48);
        m.set(49, "156");
        m.set(60, batch + "201");
        return m;
    }

    private ISOMsg upload(JposIsoTerminal t, String field48, String field60) throws Exception {
        ISOMsg m = management(t, "0320");
        m.set(48, field48);
        m.set(60, field60);
        return m;
    }

    private ISOMsg management(JposIsoTerminal t, String mti) throws Exception {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        ISOMsg m = new ISOMsg(mti);
        m.set(7, now.format(MMDD) + now.format(HHMMSS));
        m.set(11, nextStan());
        m.set(12, now.format(HHMMSS));
        m.set(13, now.format(MMDD));
        m.set(41, t.terminalId());
        m.set(42, SwitchFixture.MERCHANT);
        return m;
    }

    /** An approval: 00, the switch's RRN in 37 (12 characters) and an authorization code in 38 (6 characters). */
    private static ISOMsg approved(ISOMsg reply) throws Exception {
        assertThat(reply.getString(39)).as("field 39 of the %s answer", reply.getMTI()).isEqualTo("00");
        assertThat(reply.getString(37)).as("field 37 of the %s answer", reply.getMTI()).hasSize(12);
        assertThat(reply.getString(38)).as("field 38 of the %s answer", reply.getMTI()).hasSize(6);
        return reply;
    }
}
