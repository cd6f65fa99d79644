package io.isoswitch.core.node;

import static io.isoswitch.core.testing.TerminalRequests.unionPayReversalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.day.BusinessDateOps;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.settlement.calendar.BusinessCalendar;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UnionPay terminals reverse with their original's own STAN and 60.1 (no field 90): the switch
 * matches the original by terminal, STAN, date, amount and card. A reversal that matches nothing
 * (another amount, terminal or card, or an original never seen) is acknowledged 00 and moves
 * nothing; it never reverses another transaction, and an original that arrives after its own
 * reversal is declined, never sent. A reversal sent after the business day cut over finds its
 * original on the day before.
 */
class UnionPayReversalMatchingPostgresTest {
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    @TempDir
    Path dir;
    private JournalBackend backend;
    private SwitchFixture fixture;

    @BeforeEach
    void start() {
        backend = JournalBackend.postgres(UnionPayReversalMatchingPostgresTest.class);
        fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir).withCards(6));
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        backend.close();
    }

    private static IsoMessage purchase(TerminalSide terminal, IssuedCard card, String stan, long amount) {
        return terminal.requests().purchase(SwitchFixture.read(card), null, stan, amount);
    }

    private JournalRows.Row original(TerminalSide terminal, String stan) {
        return fixture.journal().of(terminal.terminalId(), stan).stream().filter(r -> r.mtiClass().equals("020")).findFirst()
                .orElseThrow(() -> new AssertionError("no journal row for " + stan));
    }

    private long queuedReversals() throws Exception {
        try (Connection c = backend.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM saf_queue WHERE kind = 'REVERSAL'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private LocalDate businessDate(TerminalSide terminal, String stan) throws Exception {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT business_date FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%'")) {
            s.setString(1, terminal.terminalId());
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getObject(1, LocalDate.class);
            }
        }
    }

    private void awaitBalance(IssuedCard card, long balance) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.issuer().balance(card)).isEqualTo(balance));
    }

    @Test
    void aReversalMatchingTerminalStanAmountAndCardReversesItsOriginal() throws Exception {
        IssuedCard card = fixture.issuer().card(0);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        IsoMessage sale = purchase(terminal, card, "000011", 1_000);
        assertThat(terminal.send(sale).getString(39)).isEqualTo("00");
        assertThat(terminal.send(unionPayReversalOf(sale)).getString(39)).isEqualTo("00");
        awaitBalance(card, OPENING);
        assertThat(original(terminal, "000011").state()).isIn("REVERSAL_PENDING", "REVERSED");
    }

    @Test
    void aReversalOfAnotherAmountAnotherTerminalOrAnotherCardIsAcknowledgedAndMovesNothing() throws Exception {
        IssuedCard card = fixture.issuer().card(1);
        IssuedCard other = fixture.issuer().card(2);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        TerminalSide neighbour = fixture.signedOn(TerminalDialect.CUP_POS, 2);
        // a terminal's reversals of one STAN share one key (a repeat is answered from the journal): one sale each
        IsoMessage sale = purchase(terminal, card, "000021", 1_000);
        IsoMessage secondSale = purchase(terminal, card, "000022", 700);
        assertThat(terminal.send(sale).getString(39)).isEqualTo("00");
        assertThat(terminal.send(secondSale).getString(39)).isEqualTo("00");
        awaitBalance(card, OPENING - 1_700);

        IsoMessage otherAmount = unionPayReversalOf(sale).set(4, String.format(Locale.ROOT, "%012d", 999));
        assertThat(terminal.send(otherAmount).getString(39)).isEqualTo("00");
        IsoMessage otherTerminal = unionPayReversalOf(sale).set(41, neighbour.terminalId());
        assertThat(neighbour.send(otherTerminal).getString(39)).isEqualTo("00");
        IsoMessage otherCard = unionPayReversalOf(secondSale).set(2, SwitchFixture.read(other).pan());
        assertThat(terminal.send(otherCard).getString(39)).isEqualTo("00");

        assertThat(original(terminal, "000021").state()).isEqualTo("APPROVED");
        assertThat(original(terminal, "000022").state()).isEqualTo("APPROVED");
        assertThat(queuedReversals()).isZero();
        assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING - 1_700);
        assertThat(fixture.issuer().balance(other)).isEqualTo(OPENING);
    }

    @Test
    void aReversalOfAnOriginalNeverSeenIsAcknowledgedAndTheOriginalArrivingLaterIsDeclined() throws Exception {
        IssuedCard card = fixture.issuer().card(3);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        IsoMessage lost = purchase(terminal, card, "000031", 1_500);
        assertThat(terminal.send(unionPayReversalOf(lost)).getString(39)).isEqualTo("00");
        assertThat(queuedReversals()).isZero();
        // the original, delayed in the network, arrives after its terminal reversed it
        assertThat(terminal.send(lost).getString(39)).isNotEqualTo("00");
        assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING);
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    @Test
    void aReversalAfterTheBusinessDayCutOverFindsItsOriginalOnTheDayBefore() throws Exception {
        IssuedCard card = fixture.issuer().card(4);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        IsoMessage sale = purchase(terminal, card, "000041", 2_500);
        assertThat(terminal.send(sale).getString(39)).isEqualTo("00");
        awaitBalance(card, OPENING - 2_500);
        LocalDate day = businessDate(terminal, "000041");

        // the sale at 23:59, its reversal at 00:01: the business day cuts over in between
        try (JournalDatabase database = JournalDatabase.open(backend.config(2, 2_000).toDatabaseConfig())) {
            assertThat(new BusinessCalendar(database, Clock.systemUTC()).closeEarly(day, "test").applied()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.node().registry().get(BusinessDateOps.GAUGE).gauge().value()
                == Long.parseLong(day.plusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE)));

        assertThat(terminal.send(unionPayReversalOf(sale)).getString(39)).isEqualTo("00");
        awaitBalance(card, OPENING);
        assertThat(original(terminal, "000041").state()).isIn("REVERSAL_PENDING", "REVERSED");
    }

    /**
     * Regression: the reversal of an original never seen took the original's key on its own date
     * only. An original without field 13 is dated by the business date it arrives on: delayed past
     * the cutover, it found no reservation on the new day, was approved and debited the card while
     * its terminal took it as reversed. The key is now taken on the day either side as well.
     */
    @Test
    void anOriginalArrivingAfterItsReversalAndTheCutOverIsDeclined() throws Exception {
        IssuedCard card = fixture.issuer().card(5);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        IsoMessage lost = purchase(terminal, card, "000051", 1_800);
        assertThat(terminal.send(unionPayReversalOf(lost)).getString(39)).isEqualTo("00");
        LocalDate day = businessDate(terminal, "000051");

        // the reversal at 23:59:50, its original, delayed on the network, at 00:00:10
        try (JournalDatabase database = JournalDatabase.open(backend.config(2, 2_000).toDatabaseConfig())) {
            assertThat(new BusinessCalendar(database, Clock.systemUTC()).closeEarly(day, "test").applied()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.node().registry().get(BusinessDateOps.GAUGE).gauge().value()
                == Long.parseLong(day.plusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE)));

        assertThat(terminal.send(lost).getString(39)).isEqualTo("94");
        assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING);
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    /**
     * The same gap for a UnionPay terminal that sends its local date (13): the sale at 23:59:50, delayed,
     * its reversal at 00:00:10 dated the next day. The reversal took the key on its own date only, and
     * the late sale, dated the day before, was approved and debited the card.
     */
    @Test
    void anOriginalDatedTheDayBeforeItsReversalArrivingAfterItIsDeclined() throws Exception {
        IssuedCard card = fixture.issuer().card(2);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 2);
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        DateTimeFormatter mmdd = DateTimeFormatter.ofPattern("MMdd", Locale.ROOT);
        IsoMessage lost = purchase(terminal, card, "000061", 1_200).set(12, "235950").set(13, today.minusDays(1).format(mmdd));
        IsoMessage reversal = unionPayReversalOf(lost).set(12, "000010").set(13, today.format(mmdd));
        assertThat(terminal.send(reversal).getString(39)).isEqualTo("00");

        assertThat(terminal.send(lost).getString(39)).isEqualTo("94");
        assertThat(fixture.issuer().balance(card)).isEqualTo(OPENING);
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }
}
