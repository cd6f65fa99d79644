package io.isoswitch.core.day;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
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
 * review15n, throwaway failing test. A dateless (UnionPay) request under keys issued on business
 * date D+1 is looked up as a repeat on D as well (from today - lookBackDays), though no request of
 * D can have been MACed under keys that did not exist yet. A terminal that numbers its STANs afresh
 * at each sign-on (the very case d5d6738 guards) meets the previous session's STANs there: a new sale
 * of the same card and amount is answered 00 from D's record (no money moves: goods for nothing),
 * another is refused 94, for as long as the session lasts after the cutover.
 */
class Review15nLookBackBeforeTheKeysTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSessionOfDPlusOneIsNotAnsweredFromARecordOfDUnderAnotherSessionsStan(String backendName) throws Exception {
        try (JournalBackend backend = name(backendName);
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
            LocalDate d = businessDate(backend, terminalId);
            cutOver(backend, fixture, d);
            // signed on on D+1: its STANs start again
            try (TerminalSide today = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                IsoMessage morning = today.send(today.pinPurchase(card, "000001", 1_000));
                assertThat(morning.getString(39)).isEqualTo("00");
                cutOver(backend, fixture, d.plusDays(1));
                // still the D+1 session (keys live 24 h), after midnight: STAN 000602 of this session
                IsoMessage sale = today.send(today.pinPurchase(card, "000602", 2_500));
                assertThat(sale.getString(39)).isEqualTo("00");
                assertThat(sale.getString(37)).as("a new sale's own RRN, not the one of D's record").isNotEqualTo(first.getString(37));
            }
            assertThat(debits(issuer, card)).as("issuer debits: three sales").isEqualTo(3);
        }
    }

    /**
     * The same look-back for a UnionPay reversal (NamedOriginal.datesLookedAt(lookBackDays), D and D-1
     * only before lead15c): a terminal signed on on D+2 whose sale under STAN 000602 never reached the
     * switch reverses it; the reversal finds D's sale of another session under that STAN (same card
     * and amount: a regular's daily purchase) and reverses it: the card is credited for a sale that
     * stands, the merchant is not paid for it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aReversalUnderKeysOfDPlusTwoDoesNotReverseASaleOfDOfAnotherSession(String backendName) throws Exception {
        try (JournalBackend backend = name(backendName);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuedCard card = fixture.issuer().card(0);
            String terminalId;
            try (TerminalSide old = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                terminalId = old.terminalId();
                assertThat(old.send(old.pinPurchase(card, "000602", 2_500)).getString(39)).isEqualTo("00");
            }
            LocalDate d = businessDate(backend, terminalId);
            cutOver(backend, fixture, d);
            cutOver(backend, fixture, d.plusDays(1));
            try (TerminalSide today = fixture.signedOn(TerminalDialect.CUP_POS, 1)) {
                // its own sale under 000602, lost on the way: the terminal reverses it
                IsoMessage lost = today.pinPurchase(card, "000602", 2_500);
                assertThat(today.send(io.isoswitch.core.testing.TerminalRequests.unionPayReversalOf(lost)).getString(39)).isEqualTo("00");
            }
            assertThat(purchaseStates(backend, terminalId, d)).as("D's sale of the other session").containsExactly("APPROVED");
        }
    }

    private static java.util.List<String> purchaseStates(JournalBackend backend, String terminalId, LocalDate day) throws Exception {
        java.util.List<String> states = new java.util.ArrayList<>();
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT state FROM journal WHERE terminal_id = ? AND transaction_type = 'PURCHASE'"
                     + " AND business_date = ?")) {
            s.setString(1, terminalId);
            s.setObject(2, day);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    states.add(r.getString(1));
                }
            }
        }
        return states;
    }

    private static JournalBackend name(String name) {
        return name.equals("h2") ? JournalBackend.h2() : JournalBackend.postgres(Review15nLookBackBeforeTheKeysTest.class);
    }

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
}
