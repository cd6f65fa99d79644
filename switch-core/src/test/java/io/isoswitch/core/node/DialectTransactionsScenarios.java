package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalRequests;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every transaction the pipeline handles, and every code the switch answers by itself, in each
 * terminal dialect over real TCP: sign-on, echo, purchase, balance inquiry, pre-authorization and
 * refund reach the issuer simulator and move its ledger as they should; format errors (30), unknown
 * transactions (12), bad amounts and currencies (13), bad card numbers (14), unrouted BINs (15), bad
 * MACs (63 / A0) and unknown terminals (03 / 97) are answered by the switch and move no money. Run
 * on each journal database by a subclass.
 */
abstract class DialectTransactionsScenarios extends EndToEndScenarios {
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(44).withTerminalsPerDialect(3);
    }

    private TerminalSide terminal(TerminalDialect dialect) throws IOException {
        return fixture.signedOn(dialect, 1);
    }

    private IsoMessage purchase(TerminalSide terminal, IssuedCard card, String stan, long amount) {
        return terminal.requests().purchase(SwitchFixture.read(card), terminal.pinBlock(card.pin(), card.account().pan()), stan, amount);
    }

    private JournalRows.Row row(TerminalSide terminal, String stan) {
        return fixture.journal().find(terminal.terminalId(), stan).orElseThrow(() -> new AssertionError("no journal row for " + stan));
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void signOnIssuesKeysTheTerminalCanCheckAndEchoIsAnswered(TerminalDialect dialect) throws IOException {
        TerminalSide terminal = fixture.connect(dialect, 2);
        IsoMessage signOn = terminal.signOnAnswer(stan());
        assertThat(signOn.mti()).isEqualTo("0810");
        assertThat(signOn.getString(39)).isEqualTo("00");
        // the keys imported: importKey checked both check values, so a purchase now MACs and verifies
        IsoMessage echo = terminal.echo(stan());
        assertThat(echo.mti()).isEqualTo(dialect.cup() ? "0830" : "0810");
        assertThat(echo.getString(39)).isEqualTo("00");
        assertThat(echo.getString(41)).isEqualTo(terminal.terminalId());
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aPurchaseIsApprovedWithAMacedAnswerAndDebitsTheCardOnce(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String stan = stan();
        IsoMessage answer = terminal.send(purchase(terminal, card, stan, 1_234));
        assertThat(answer.mti()).isEqualTo("0210");
        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.getString(11)).isEqualTo(stan);
        assertThat(answer.has(64)).isTrue();
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING - 1_234);
        assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING - 1_234);
        JournalRows.Row row = row(terminal, stan);
        assertThat(row.state()).isEqualTo("APPROVED");
        assertThat(row.type()).isEqualTo("PURCHASE");
        assertThat(row.switchRrn()).isEqualTo(answer.getString(37));
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aBalanceInquiryAnswersTheAvailableBalanceInField54AndMovesNoMoney(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String stan = stan();
        IsoMessage answer = terminal.send(terminal.requests().balanceInquiry(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), stan));
        assertThat(answer.getString(39)).isEqualTo("00");
        // amount type 02 (available), currency 156, credit, 12 digits (docs/terminal-protocol.md)
        assertThat(answer.getString(54)).contains("02156C" + String.format(Locale.ROOT, "%012d", OPENING));
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
        assertThat(row(terminal, stan).type()).isEqualTo("BALANCE_INQUIRY");
    }

    /**
     * Regression: a terminal's reversal of a balance inquiry (0400 processing code 31, no amount) was
     * answered 30, a format error, though it is well formed: a reversal without field 4 was refused
     * before anyone asked what it reversed, and the terminal repeated it for ever. An inquiry moved no
     * money, so there is nothing to give back: the reversal is acknowledged 00 and journaled (a
     * repeat is answered from the journal), the inquiry stays as it was, and nothing goes to the issuer.
     */
    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aReversalOfABalanceInquiryIsAcknowledgedAndJournaledAndNothingGoesToTheIssuer(TerminalDialect dialect) throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String stan = stan();
        IsoMessage inquiry = terminal.requests().balanceInquiry(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), stan);
        assertThat(terminal.send(inquiry).getString(39)).isEqualTo("00");
        // a UnionPay terminal reverses under the original's STAN, an ISO terminal under a new one naming it in field 90
        String reversalStan = dialect.cup() ? stan : stan();
        IsoMessage reversal = dialect.cup() ? TerminalRequests.unionPayReversalOf(inquiry) : TerminalRequests.reversalOf(inquiry, reversalStan);
        assertThat(reversal.has(4)).as("an inquiry names no amount, nor does its reversal").isFalse();

        IsoMessage answer = terminal.send(reversal);
        assertThat(answer.mti()).isEqualTo("0410");
        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(terminal.send(reversal.mti("0401")).getString(39)).as("its repeat, from the journal").isEqualTo("00");

        assertThat(fixture.journal().of(terminal.terminalId(), reversalStan)).filteredOn(row -> row.type().equals("REVERSAL"))
                .singleElement().satisfies(row -> {
                    assertThat(row.state()).isEqualTo("APPROVED");
                    assertThat(row.responseCode()).isEqualTo("00");
                    assertThat(row.amountMinor()).isZero();
                });
        assertThat(fixture.journal().of(terminal.terminalId(), stan)).filteredOn(row -> row.type().equals("BALANCE_INQUIRY"))
                .singleElement().extracting(JournalRows.Row::state).isEqualTo("APPROVED");
        try (java.sql.Connection c = fixture.backend().connect();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT count(*) FROM saf_queue q JOIN journal j ON j.id = q.journal_id"
                     + " WHERE j.terminal_id = ? AND j.stan IN (?, ?)")) {
            s.setString(1, terminal.terminalId());
            s.setString(2, stan);
            s.setString(3, reversalStan);
            try (java.sql.ResultSet queued = s.executeQuery()) {
                queued.next();
                assertThat(queued.getLong(1)).as("nothing queued for the issuer").isZero();
            }
        }
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aPreAuthorizationHoldsTheAmountWithoutDebitingIt(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String stan = stan();
        IsoMessage answer = terminal.send(terminal.requests().preAuthorization(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), stan, 5_000));
        assertThat(answer.mti()).isEqualTo("0110");
        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.getString(38)).isNotBlank();
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING - 5_000);
        assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING);
        assertThat(row(terminal, stan).type()).isEqualTo("PREAUTH");
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aRefundOfAPurchaseCreditsTheCardBack(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        IsoMessage purchase = terminal.send(purchase(terminal, card, stan(), 3_000));
        assertThat(purchase.getString(39)).isEqualTo("00");
        String stan = stan();
        IsoMessage refund = terminal.send(terminal.requests().refund(SwitchFixture.read(card), stan, 1_000, purchase.getString(37)));
        assertThat(refund.mti()).isEqualTo(dialect.cup() ? "0230" : "0210");
        assertThat(refund.getString(39)).isEqualTo("00");
        assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING - 3_000 + 1_000);
        assertThat(row(terminal, stan).type()).isEqualTo("REFUND");
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aRequestWithoutAMandatoryFieldIsAFormatError30(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        IsoMessage request = purchase(terminal, card, stan(), 1_000).unset(22);
        assertThat(terminal.send(request).getString(39)).isEqualTo("30");
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aTransactionTheSwitchDoesNotKnowIsInvalid12(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        IsoMessage request = purchase(terminal, card, stan(), 1_000);
        if (dialect.cup()) {
            request.set(60, "99" + terminal.batch() + "000");
        } else {
            request.set(3, "500000");
        }
        assertThat(terminal.send(request).getString(39)).isEqualTo("12");
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aZeroAmountOrACurrencyTheMerchantDoesNotTakeIsAnAmountError13(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        assertThat(terminal.send(purchase(terminal, card, stan(), 0)).getString(39)).isEqualTo("13");
        assertThat(terminal.send(purchase(terminal, card, stan(), 1_000).set(49, "840")).getString(39)).isEqualTo("13");
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aCardNumberFailingLuhnIsAnInvalidCard14(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String pan = card.account().pan();
        String broken = pan.substring(0, 15) + (char) ('0' + (pan.charAt(15) - '0' + 1) % 10);
        IsoMessage request = terminal.requests().purchase(new TerminalRequests.Card(broken, SwitchFixture.read(card).expiryYymm()),
                null, stan(), 1_000);
        assertThat(terminal.send(request).getString(39)).isEqualTo("14");
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aCardOfABinWithoutRouteHasNoIssuer15(TerminalDialect dialect) throws IOException {
        TerminalSide terminal = terminal(dialect);
        String stan = stan();
        IsoMessage request = terminal.requests().purchase(new TerminalRequests.Card("4111111111111111", "3012"), null, stan, 1_000);
        assertThat(terminal.send(request).getString(39)).isEqualTo("15");
        assertThat(row(terminal, stan).responseCode()).isEqualTo("15");
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aRequestWhoseMacFailsIsAnsweredWithTheDialectsMacCodeUnmaced(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        String stan = stan();
        IsoMessage answer = terminal.sendWithWrongMac(purchase(terminal, card, stan, 1_000));
        assertThat(answer.getString(39)).isEqualTo(dialect.macFailureCode());
        assertThat(answer.has(64)).isFalse();
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
        assertThat(fixture.journal().find(terminal.terminalId(), stan)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void anUnknownTerminalIsRefusedWithTheDialectsCode(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide stranger = fixture.connect(dialect, dialect.idPrefix() + "99999");
        assertThat(stranger.signOn(stan())).isEqualTo(dialect.unknownTerminalCode());
        IsoMessage request = stranger.requests().purchase(SwitchFixture.read(card), null, stan(), 1_000);
        assertThat(stranger.sendPlain(request).getString(39)).isEqualTo(dialect.unknownTerminalCode());
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aTerminalThatHasNotSignedOnMustSignOnFirst(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        // terminal 3 of each dialect never signs on in this class
        TerminalSide fresh = fixture.connect(dialect, 3);
        IsoMessage request = fresh.requests().purchase(SwitchFixture.read(card), null, stan(), 1_000);
        assertThat(fresh.sendPlain(request).getString(39)).isEqualTo(dialect.cup() ? "77" : "58");
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }
    /**
     * Regression: field 42 was never compared with the terminal's merchant, so a terminal could
     * name any merchant on its requests (and read it back on its answers and receipts). A
     * production acquirer refuses it: 03, unMACed, counted, never journaled nor forwarded.
     */
    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aRequestNamingAnotherMerchantThanItsTerminalsIsRefused03AndCounted(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = terminal(dialect);
        double before = merchantMismatches(dialect);
        String stan = stan();
        IsoMessage answer = terminal.send(purchase(terminal, card, stan, 1_000).set(42, "OTHERMERCHANT01"));
        assertThat(answer.getString(39)).isEqualTo("03");
        assertThat(answer.has(64)).isFalse();
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
        assertThat(fixture.journal().find(terminal.terminalId(), stan)).isEmpty();
        assertThat(merchantMismatches(dialect) - before).isEqualTo(1.0);
        // its own merchant, space-padded to 15 as field 42 is on the wire, is still its own
        assertThat(terminal.send(purchase(terminal, card, stan(), 1_000)).getString(39)).isEqualTo("00");
    }

    /** What a terminal holds that another cannot forge: its working MAC key, new at every sign-on. */
    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void anotherTerminalsIdOrAMacKeyFromBeforeTheLastSignOnFailsTheMacAndMovesNothing(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide a = fixture.signedOn(dialect, 1);
        TerminalSide b = fixture.signedOn(dialect, 2);
        IsoMessage asB = purchase(a, card, stan(), 1_000).set(41, b.terminalId());
        assertThat(sentMacedBy(a, asB).getString(39)).isEqualTo(dialect.macFailureCode());
        try (TerminalSide stale = a.anotherConnection(fixture.port(dialect))) {
            assertThat(a.signOn(stan())).isEqualTo("00");
            IsoMessage withOldKey = sentMacedBy(stale, purchase(stale, card, stan(), 1_000));
            assertThat(withOldKey.getString(39)).isEqualTo(dialect.macFailureCode());
        }
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    /** Sends the request MACed under {@code terminal}'s TAK; the answer is not MAC-checked (a refusal carries none). */
    private static IsoMessage sentMacedBy(TerminalSide terminal, IsoMessage request) throws IOException {
        return IsoMessage.decode(terminal.dialect().spec(), terminal.client().exchangeRaw(terminal.signed(request)));
    }

    private double merchantMismatches(TerminalDialect dialect) {
        return fixture.node().registry().get(io.isoswitch.core.metrics.SwitchMetrics.MERCHANT_MISMATCHES)
                .tag("dialect", dialect.configName()).counter().count();
    }
}
