package io.isoswitch.core.day;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalRequests;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.settlement.calendar.BusinessCalendar;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.ledger.EntryKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A UnionPay request carries no date (12 and 13 are the host's, in answers), so the journal keys it
 * by the business date it arrives on. Sent again after the cutover (a late retransmission, or the
 * very same MACed frame replayed under the same working keys and in the same terminal batch) it is
 * still the request of the day before: answered from the journal (same code, same RRN, no second
 * issuer request), or refused 94 when it is another transaction under that STAN. Before, it was
 * journaled as a new purchase and the card was debited twice (review15k finding 5). Only keys issued
 * before the cutover can sign such a request, and no request of a date before the keys were issued
 * can come under them: a terminal signed on since is a new day's terminal (review15n).
 * On H2 and PostgreSQL.
 */
class DatelessRepeatAcrossCutoverTest {
    private static final DateTimeFormatter MMDD = DateTimeFormatter.ofPattern("MMdd");
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theSameMacedUnionPayFrameAfterTheCutoverIsAnsweredFromTheJournal(String backendName) throws Exception {
        try (JournalBackend backend = backend(backendName);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuerSimulator issuer = fixture.issuer();
            IssuedCard card = issuer.card(0);
            try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                byte[] frame = terminal.signed(terminal.pinPurchase(card, "000601", 3_000));
                ZoneId zone = fixture.node().config().businessZoneId();
                LocalDateTime sent = LocalDateTime.now(zone).withNano(0);
                IsoMessage first = terminal.answer(terminal.client().exchangeRaw(frame));
                LocalDateTime answered = LocalDateTime.now(zone);
                assertThat(first.getString(39)).isEqualTo("00");
                LocalDate day = businessDate(backend, terminal.terminalId());
                assertThat(first.getString(15)).as("settlement date").isEqualTo(MMDD.format(day));
                assertThat(first.getString(63)).as("card organisation of a Visa BIN").isEqualTo("VIS");
                // keyed by the business date, its local time is the one its answer told the terminal
                // (the clearing files show it), not midnight of the business date
                assertThat(transactionDate(backend, terminal.terminalId())).isEqualTo(day);
                assertThat(localTime(backend, terminal.terminalId())).as("the host's time while the purchase was under way")
                        .isBetween(sent, answered);

                cutOver(backend, fixture, day);

                IsoMessage again = terminal.answer(terminal.client().exchangeRaw(frame));
                assertThat(again.getString(39)).isEqualTo("00");
                assertThat(again.getString(37)).as("the original's RRN").isEqualTo(first.getString(37));
                assertThat(again.getString(15)).as("the original's settlement date, not the new day's").isEqualTo(MMDD.format(day));
                assertThat(debits(issuer, card)).as("issuer debits").isEqualTo(1);
                assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 3_000);
                assertThat(records(backend, terminal.terminalId())).as("journal records of the terminal").isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aTerminalSignedOnSinceTheCutoverMayNumberItsStansAfresh(String backendName) throws Exception {
        try (JournalBackend backend = backend(backendName);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuerSimulator issuer = fixture.issuer();
            IssuedCard card = issuer.card(0);
            try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                IsoMessage first = terminal.send(terminal.pinPurchase(card, "000602", 2_500));
                assertThat(first.getString(39)).isEqualTo("00");

                cutOver(backend, fixture, businessDate(backend, terminal.terminalId()));
                // a replaced device, or one whose trace number starts again: its keys are of the new date,
                // so no request of the day before can come under them
                try (TerminalSide again = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                    IsoMessage sale = again.send(again.pinPurchase(card, "000602", 2_500));
                    assertThat(sale.getString(39)).isEqualTo("00");
                    assertThat(sale.getString(37)).as("a new RRN").isNotEqualTo(first.getString(37));
                }
                assertThat(debits(issuer, card)).as("issuer debits").isEqualTo(2);
                assertThat(records(backend, terminal.terminalId())).as("journal records of the terminal").isEqualTo(2);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRepeatAnsweredFromTwoDatesBackIsUndoneByItsTerminalsReversal(String backendName) throws Exception {
        try (JournalBackend backend = backend(backendName);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuedCard card = fixture.issuer().card(0);
            try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                IsoMessage sale = terminal.pinPurchase(card, "000701", 3_000);
                byte[] frame = terminal.signed(sale);
                IsoMessage first = terminal.answer(terminal.client().exchangeRaw(frame));
                assertThat(first.getString(39)).isEqualTo("00");
                LocalDate day = businessDate(backend, terminal.terminalId());
                cutOver(backend, fixture, day);
                cutOver(backend, fixture, day.plusDays(1));

                IsoMessage again = terminal.answer(terminal.client().exchangeRaw(frame));
                assertThat(again.getString(39)).isEqualTo("00");
                assertThat(again.getString(37)).isEqualTo(first.getString(37));
                // its terminal reverses the sale it was told of: the record of two dates back is undone
                IsoMessage reversed = terminal.send(TerminalRequests.unionPayReversalOf(sale));
                assertThat(reversed.getString(39)).isEqualTo("00");
                assertThat(saleState(backend, terminal.terminalId(), "000701")).isIn("REVERSAL_PENDING", "REVERSED");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSessionOfTheNextDateIsNotAnsweredFromARecordOfADateBeforeItsKeys(String backendName) throws Exception {
        try (JournalBackend backend = backend(backendName);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuerSimulator issuer = fixture.issuer();
            IssuedCard card = issuer.card(0);
            IsoMessage first;
            String terminalId;
            try (TerminalSide yesterday = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                terminalId = yesterday.terminalId();
                first = yesterday.send(yesterday.pinPurchase(card, "000602", 2_500));
                assertThat(first.getString(39)).isEqualTo("00");
            }
            LocalDate day = businessDate(backend, terminalId);
            cutOver(backend, fixture, day);
            // signed on on the next date: its STANs start again
            try (TerminalSide today = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                assertThat(today.send(today.pinPurchase(card, "000001", 1_000)).getString(39)).isEqualTo("00");
                cutOver(backend, fixture, day.plusDays(1));
                // the same session after the next cutover: its own STAN 000602 is a new sale
                IsoMessage sale = today.send(today.pinPurchase(card, "000602", 2_500));
                assertThat(sale.getString(39)).isEqualTo("00");
                assertThat(sale.getString(37)).as("a new sale's own RRN").isNotEqualTo(first.getString(37));
            }
            assertThat(debits(issuer, card)).as("issuer debits: three sales").isEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aReversalDoesNotUndoASaleOfADateBeforeItsKeys(String backendName) throws Exception {
        try (JournalBackend backend = backend(backendName);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuedCard card = fixture.issuer().card(0);
            String terminalId;
            try (TerminalSide old = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                terminalId = old.terminalId();
                assertThat(old.send(old.pinPurchase(card, "000602", 2_500)).getString(39)).isEqualTo("00");
            }
            LocalDate day = businessDate(backend, terminalId);
            cutOver(backend, fixture, day);
            cutOver(backend, fixture, day.plusDays(1));
            try (TerminalSide today = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                // its own sale under 000602 (same card and amount) was lost on the way: it reverses it
                IsoMessage lost = today.pinPurchase(card, "000602", 2_500);
                assertThat(today.send(TerminalRequests.unionPayReversalOf(lost)).getString(39)).isEqualTo("00");
            }
            assertThat(saleState(backend, terminalId, "000602")).as("the sale of another session, two dates before").isEqualTo("APPROVED");
        }
    }

    private static JournalBackend backend(String name) {
        return name.equals("h2") ? JournalBackend.h2() : JournalBackend.postgres(DatelessRepeatAcrossCutoverTest.class);
    }

    /** Closes business date {@code day} and waits until the node is on the next. */
    private static void cutOver(JournalBackend backend, SwitchFixture fixture, LocalDate day) throws Exception {
        try (JournalDatabase database = JournalDatabase.open(backend.config(2, 2_000).toDatabaseConfig())) {
            assertThat(new BusinessCalendar(database, Clock.systemUTC()).closeEarly(day, "test").applied()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.node().registry().get(BusinessDateOps.GAUGE).gauge().value()
                == BusinessDateOps.yyyymmdd(day.plusDays(1)));
    }

    private static long debits(IssuerSimulator issuer, IssuedCard card) {
        return issuer.entries(EntryKind.DEBIT).stream().filter(e -> e.accountId().equals(card.account().accountId())).count();
    }

    private static LocalDateTime localTime(JournalBackend backend, String terminalId) throws Exception {
        return firstOf(backend, "SELECT local_time FROM journal WHERE terminal_id = ?", terminalId, LocalDateTime.class);
    }

    private static LocalDate transactionDate(JournalBackend backend, String terminalId) throws Exception {
        return firstOf(backend, "SELECT transaction_date FROM journal WHERE terminal_id = ?", terminalId, LocalDate.class);
    }

    private static <T> T firstOf(JournalBackend backend, String sql, String terminalId, Class<T> type) throws Exception {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, terminalId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getObject(1, type);
            }
        }
    }

    private static LocalDate businessDate(JournalBackend backend, String terminalId) throws Exception {
        return firstOf(backend, "SELECT MIN(business_date) FROM journal WHERE terminal_id = ?", terminalId, LocalDate.class);
    }

    private static String saleState(JournalBackend backend, String terminalId, String stan) throws Exception {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement(
                     "SELECT state FROM journal WHERE terminal_id = ? AND stan = ? AND transaction_type = 'PURCHASE'")) {
            s.setString(1, terminalId);
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getString(1);
            }
        }
    }

    private static long records(JournalBackend backend, String terminalId) throws Exception {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM journal WHERE terminal_id = ?")) {
            s.setString(1, terminalId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
