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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * review15m, throwaway: fix15d answers a dateless (UnionPay) repeat from a record up to two business
 * dates back (maxKeyAge rounded up plus one day "for an early close"), but a UnionPay reversal looks
 * for its original on its own date and the day before only (NamedOriginal.datesLookedAt). A repeat
 * told 00 from the record of two dates back, then reversed by its terminal, is acknowledged 00 and
 * reverses nothing: the card stays debited for a sale the terminal cancelled.
 */
class Review15mRepeatWindowTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRepeatAnsweredFromTwoDatesBackIsReversedByItsTerminalsReversal(String backendName) throws Exception {
        try (JournalBackend backend = name(backendName);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuerSimulator issuer = fixture.issuer();
            IssuedCard card = issuer.card(0);
            try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                IsoMessage sale = terminal.pinPurchase(card, "000701", 3_000);
                byte[] frame = terminal.signed(sale);
                IsoMessage first = terminal.answer(terminal.client().exchangeRaw(frame));
                assertThat(first.getString(39)).isEqualTo("00");

                LocalDate day = businessDate(backend, terminal.terminalId());
                close(backend, fixture, day);
                close(backend, fixture, day.plusDays(1));

                // within the window fix15d looks at: answered from the record of two dates back
                IsoMessage again = terminal.answer(terminal.client().exchangeRaw(frame));
                assertThat(again.getString(39)).isEqualTo("00");
                assertThat(again.getString(37)).isEqualTo(first.getString(37));

                // the terminal did not get that answer (or cancels): it reverses the sale it was told of
                IsoMessage reversed = terminal.send(TerminalRequests.unionPayReversalOf(sale));
                assertThat(reversed.getString(39)).isEqualTo("00");

                assertThat(saleState(backend, terminal.terminalId(), "000701"))
                        .as("the sale the terminal reversed, 00").isIn("REVERSAL_PENDING", "REVERSED");
            }
        }
    }

    private static JournalBackend name(String name) {
        return name.equals("h2") ? JournalBackend.h2() : JournalBackend.postgres(Review15mRepeatWindowTest.class);
    }

    private static void close(JournalBackend backend, SwitchFixture fixture, LocalDate day) throws Exception {
        try (JournalDatabase database = JournalDatabase.open(backend.config(2, 2_000).toDatabaseConfig())) {
            assertThat(new BusinessCalendar(database, Clock.systemUTC()).closeEarly(day, "test").applied()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.node().registry().get(BusinessDateOps.GAUGE).gauge().value()
                == BusinessDateOps.yyyymmdd(day.plusDays(1)));
    }

    private static LocalDate businessDate(JournalBackend backend, String terminalId) throws Exception {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT MIN(business_date) FROM journal WHERE terminal_id = ?")) {
            s.setString(1, terminalId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getObject(1, LocalDate.class);
            }
        }
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
}
