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
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * review15k finding 5 (throwaway, FAILS on the current code): a UnionPay purchase carries no date
 * (12 and 13 are the host's, in answers), so the journal keys it by the business date it arrives on.
 * The very same MACed frame sent again after the cutover (00:00 by default), under the same working
 * keys (24 h by default) and in the same terminal batch (60.2), is a new purchase: the card is
 * debited twice. Neither the MAC nor the STAN check stops a replay or a terminal's late resend.
 */
class Review15kReplayAcrossCutoverTest {
    @TempDir
    static Path dir;

    @Test
    void theSameMacedUnionPayPurchaseSentAgainAfterTheCutoverDoesNotDebitTwice() throws Exception {
        try (JournalBackend backend = JournalBackend.postgres(Review15kReplayAcrossCutoverTest.class);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuerSimulator issuer = fixture.issuer();
            IssuedCard card = issuer.card(0);
            try (TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
                 JournalDatabase database = JournalDatabase.open(backend.config(2, 2_000).toDatabaseConfig())) {
                IsoMessage purchase = terminal.pinPurchase(card, "000601", 3_000);
                byte[] frame = terminal.signed(purchase);
                IsoMessage first = terminal.answer(terminal.client().exchangeRaw(frame));
                assertThat(first.getString(39)).isEqualTo("00");

                LocalDate day = LocalDate.ofInstant(java.time.Instant.now(), java.time.ZoneOffset.UTC);
                assertThat(new BusinessCalendar(database, Clock.systemUTC()).closeEarly(day, "test").applied()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> fixture.node().registry().get(BusinessDateOps.GAUGE).gauge().value()
                        == BusinessDateOps.yyyymmdd(day.plusDays(1)));

                IsoMessage again = terminal.answer(terminal.client().exchangeRaw(frame));
                long debits = issuer.entries(EntryKind.DEBIT).stream()
                        .filter(e -> e.accountId().equals(card.account().accountId())).count();
                assertThat(debits).as("the same frame again answered %s, RRN %s (first RRN %s)", again.getString(39),
                        again.has(37) ? again.getString(37) : null, first.getString(37)).isEqualTo(1);
                assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 3_000);
            }
        }
    }
}
