package io.isoswitch.core.day;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.node.SwitchNode;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A UnionPay request carries no date (12 and 13 are the host's, in answers), so the journal keys it
 * by the business date it arrives on. Sent again after the cutover (a late retransmission, or the
 * very same MACed frame replayed under the same working keys and in the same terminal batch) it is
 * still the request of the day before: answered from the journal (same code, same RRN, no second
 * issuer request), or refused 94 when it is another transaction under that STAN. Before, it was
 * journaled as a new purchase and the card was debited twice (review15k finding 5). On H2 and
 * PostgreSQL, at the node that answered the original and at another node.
 */
class DatelessRepeatAcrossCutoverTest {
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
                IsoMessage first = terminal.answer(terminal.client().exchangeRaw(frame));
                assertThat(first.getString(39)).isEqualTo("00");

                cutOver(backend, fixture, terminal.terminalId());

                IsoMessage again = terminal.answer(terminal.client().exchangeRaw(frame));
                assertThat(again.getString(39)).isEqualTo("00");
                assertThat(again.getString(37)).as("the original's RRN").isEqualTo(first.getString(37));
                assertThat(debits(issuer, card)).as("issuer debits").isEqualTo(1);
                assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 3_000);
                assertThat(records(backend, terminal.terminalId())).as("journal records of the terminal").isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRepeatAtAnotherNodeAfterTheCutoverIsAnsweredFromTheJournal(String backendName) throws Exception {
        try (JournalBackend backend = backend(backendName);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuerSimulator issuer = fixture.issuer();
            IssuedCard card = issuer.card(0);
            try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                IsoMessage first = terminal.send(terminal.pinPurchase(card, "000602", 2_500));
                assertThat(first.getString(39)).isEqualTo("00");

                cutOver(backend, fixture, terminal.terminalId());
                // a node that never saw the purchase, as one started after a restart would be
                SwitchNode other = fixture.startAnotherNode("node-2");
                await().atMost(Duration.ofSeconds(10)).until(() -> other.registry().get(BusinessDateOps.GAUGE).gauge().value()
                        == fixture.node().registry().get(BusinessDateOps.GAUGE).gauge().value());
                try (TerminalSide atOther = fixture.signedOnAt(other, TerminalDialect.CUP_POS, terminal.terminalId())) {
                    IsoMessage again = atOther.send(atOther.pinPurchase(card, "000602", 2_500));
                    assertThat(again.getString(39)).isEqualTo("00");
                    assertThat(again.getString(37)).as("the original's RRN").isEqualTo(first.getString(37));

                    IsoMessage another = atOther.send(atOther.pinPurchase(card, "000602", 900));
                    assertThat(another.getString(39)).as("another amount under the STAN of the day before").isEqualTo("94");
                }
                assertThat(debits(issuer, card)).as("issuer debits").isEqualTo(1);
                assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 2_500);
                assertThat(records(backend, terminal.terminalId())).as("journal records of the terminal").isEqualTo(1);
            }
        }
    }

    private static JournalBackend backend(String name) {
        return name.equals("h2") ? JournalBackend.h2() : JournalBackend.postgres(DatelessRepeatAcrossCutoverTest.class);
    }

    /** Closes the business date the terminal's first record is on and waits until the node is on the next. */
    private static void cutOver(JournalBackend backend, SwitchFixture fixture, String terminalId) throws Exception {
        LocalDate day = businessDate(backend, terminalId);
        try (JournalDatabase database = JournalDatabase.open(backend.config(2, 2_000).toDatabaseConfig())) {
            assertThat(new BusinessCalendar(database, Clock.systemUTC()).closeEarly(day, "test").applied()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.node().registry().get(BusinessDateOps.GAUGE).gauge().value()
                == BusinessDateOps.yyyymmdd(day.plusDays(1)));
    }

    private static long debits(IssuerSimulator issuer, IssuedCard card) {
        return issuer.entries(EntryKind.DEBIT).stream().filter(e -> e.accountId().equals(card.account().accountId())).count();
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
