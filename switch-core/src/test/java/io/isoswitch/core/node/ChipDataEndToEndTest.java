package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalRequests;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultPlan;
import io.isoswitch.sim.issuer.host.ChipAnswers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * EMV chip data (field 55) end to end: the terminal's field 55 reaches the issuer byte for byte,
 * the issuer's (tag 91, the simulator's ARPC) reaches the terminal in its MACed answer; a malformed
 * one from the issuer is dropped and the approval stands; a malformed one from the terminal is 30
 * and goes nowhere; the journal keeps none of it (field 55 may hold the PAN, 5A).
 */
class ChipDataEndToEndTest extends EndToEndScenarios {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String ARQC = "1122334455667788";

    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        // a short issuer timeout, for the purchase the issuer leaves unanswered
        return defaults.withCards(16).withIssuerTimeoutMs(1_000);
    }

    @AfterEach
    void issuerBehavesAgain() {
        fixture.issuer().chip().answerMalformed(false);
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void theIssuerSeesTheTerminalsChipDataAndTheTerminalGetsTheArpc(TerminalDialect dialect) throws IOException {
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IssuedCard card = card();
        byte[] chip = chipData(card, 100);
        IsoMessage request = terminal.pinPurchase(card, stan(), 100);
        request.set(55, chip);

        IsoMessage answer = terminal.send(request); // fails unless the answer's MAC verifies

        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(HEX.formatHex(fixture.issuer().chip().lastRequestIccData())).as("field 55 at the issuer").isEqualTo(HEX.formatHex(chip));
        byte[] arpc = ChipAnswers.arpc(HEX.parseHex(ARQC), "00");
        assertThat(HEX.formatHex(answer.getBytes(55))).as("field 55 at the terminal")
                .isEqualTo("910A" + HEX.formatHex(arpc) + HEX.formatHex("00".getBytes(StandardCharsets.US_ASCII)));
        assertThat(stored("journal", HEX.formatHex(chip), ARQC, card.account().pan(), panHex(card))).as("journal cells holding field 55 or the PAN in clear").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aRepeatAnsweredFromTheJournalCarriesTheIssuersArpcAgain(TerminalDialect dialect) throws IOException {
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IssuedCard card = card();
        IsoMessage request = terminal.pinPurchase(card, stan(), 200);
        request.set(55, chipData(card, 200));
        IsoMessage first = terminal.send(request);

        IsoMessage repeat = terminal.send(request);

        assertThat(repeat.getString(39)).isEqualTo("00");
        assertThat(repeat.getString(37)).isEqualTo(first.getString(37));
        assertThat(HEX.formatHex(repeat.getBytes(55))).isEqualTo(HEX.formatHex(first.getBytes(55)));
        assertThat(fixture.issuer().available(card)).as("debited once").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 200);
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aMalformedFieldFromTheIssuerIsDroppedAndTheApprovalStands(TerminalDialect dialect) throws IOException {
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IssuedCard card = card();
        long before = issuerMalformed();
        fixture.issuer().chip().answerMalformed(true);
        IsoMessage request = terminal.pinPurchase(card, stan(), 100);
        request.set(55, chipData(card, 100));

        IsoMessage answer = terminal.send(request);

        assertThat(answer.getString(39)).isEqualTo("00");
        assertThat(answer.has(38)).isTrue();
        assertThat(answer.has(55)).as("the issuer's malformed field 55 reached the terminal").isFalse();
        assertThat(issuerMalformed()).isEqualTo(before + 1);
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 100);
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aMalformedFieldFromTheTerminalIsAFormatErrorAndReachesNoIssuer(TerminalDialect dialect) throws IOException {
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IssuedCard card = card();
        long before = terminalMalformed(dialect);
        IsoMessage request = terminal.pinPurchase(card, stan(), 100);
        request.set(55, HEX.parseHex("9F2608" + "112233")); // the ARQC cut short

        IsoMessage answer = terminal.send(request);

        assertThat(answer.getString(39)).isEqualTo("30");
        assertThat(terminalMalformed(dialect)).isEqualTo(before + 1);
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void aReversalCarriesTheTerminalsChipDataWithoutItsCardDataToTheIssuer(TerminalDialect dialect) throws IOException {
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IssuedCard card = card();
        IsoMessage purchase = terminal.pinPurchase(card, stan(), 300);
        purchase.set(55, chipData(card, 300));
        assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
        IsoMessage reversal = dialect.cup() ? TerminalRequests.unionPayReversalOf(purchase) : TerminalRequests.reversalOf(purchase, stan());
        byte[] chip = chipData(card, 300);
        reversal.set(55, chip);

        assertThat(terminal.send(reversal).getString(39)).isEqualTo("00");

        // everything but 5A, the PAN: the queue that carries the reversal to the issuer is stored
        String chipHex = HEX.formatHex(chip);
        String withoutPan = chipHex.substring(0, chipHex.length() - ("5A".length() + 2 + panHex(card).length()));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> fixture.issuer().available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);
        assertThat(HEX.formatHex(fixture.issuer().chip().lastRequestIccData())).as("field 55 of the reversal at the issuer")
                .isEqualTo(withoutPan);
        // the ARQC and the other tags are queued; the terminal's whole field 55 and the PAN are not
        assertThat(stored("saf_queue", HEX.formatHex(chip), card.account().pan(), panHex(card)))
                .as("queue cells holding the whole field 55 or the PAN").isEmpty();
    }

    /**
     * A chip purchase the issuer does not answer in time is reversed by the switch (68), and that
     * reversal carries the purchase's chip data (without its card data) as the terminal's own does:
     * issuers match a chip reversal to its authorization by the cryptogram and counter in it.
     */
    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "CUP_POS"})
    void theSwitchsReversalOfAnUnansweredChipPurchaseCarriesItsChipDataWithoutCardData(TerminalDialect dialect)
            throws IOException {
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        IssuedCard card = card();
        byte[] chip = chipData(card, 400);
        IsoMessage purchase = terminal.pinPurchase(card, stan(), 400);
        purchase.set(55, chip);
        fixture.issuer().faults(FaultPlan.none().withNoAnswerShare(1.0));
        try {
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("91");
        } finally {
            fixture.issuer().faults(FaultPlan.none());
        }

        // store-and-forward reverses the debit the issuer booked, with the purchase's 55 less 5A (the PAN)
        String chipHex = HEX.formatHex(chip);
        String withoutPan = chipHex.substring(0, chipHex.length() - ("5A".length() + 2 + panHex(card).length()));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> fixture.issuer().available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);
        assertThat(HEX.formatHex(fixture.issuer().chip().lastRequestIccData())).as("field 55 of the switch's reversal at the issuer")
                .isEqualTo(withoutPan);
        assertThat(stored("saf_queue", chipHex, card.account().pan(), panHex(card)))
                .as("queue cells holding the whole field 55 or the PAN").isEmpty();
    }

    /** A chip purchase's field 55 as a terminal builds it, the card's PAN (5A) in it; 9F10 in a long-form length. */
    private static byte[] chipData(IssuedCard card, long amountMinor) {
        String pan = card.account().pan();
        String panBcd = pan.length() % 2 == 0 ? pan : pan + "F";
        return HEX.parseHex("82021980"                                             // AIP
                + "9505" + "0000008000"                                             // TVR
                + "9F0206" + String.format(Locale.ROOT, "%012d", amountMinor)       // amount
                + "9F1081" + "07" + "06010A03A00000"                                // issuer application data, long form
                + "9F2608" + ARQC                                                   // ARQC
                + "9F270180"                                                        // CID: ARQC
                + "9F36020041"                                                      // ATC
                + "9F370411223344"                                                  // unpredictable number
                + "5A" + String.format(Locale.ROOT, "%02X", panBcd.length() / 2) + panBcd);
    }

    private long issuerMalformed() {
        var counter = fixture.node().registry().find("switch.issuer.icc.malformed").counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private long terminalMalformed(TerminalDialect dialect) {
        var counter = fixture.node().registry().find(SwitchMetrics.MALFORMED_ICC_DATA).tag("dialect", dialect.configName()).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /** The PAN as 5A holds it (BCD, padded with F). */
    private static String panHex(IssuedCard card) {
        String pan = card.account().pan();
        return pan.length() % 2 == 0 ? pan : pan + "F";
    }

    /** Every cell of {@code table} holding one of {@code needles} (uppercase), in its text or its bytes as hex. */
    private List<String> stored(String table, String... needles) {
        List<String> found = new ArrayList<>();
        try (Connection c = fixture.backend().connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                for (int i = 1; i <= columns; i++) {
                    Object value = r.getObject(i);
                    String text = value instanceof byte[] bytes ? HEX.formatHex(bytes) : String.valueOf(value).toUpperCase(Locale.ROOT);
                    for (String needle : needles) {
                        if (text.contains(needle)) {
                            found.add(r.getMetaData().getColumnName(i));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }
}
