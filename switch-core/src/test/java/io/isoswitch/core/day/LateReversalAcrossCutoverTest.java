package io.isoswitch.core.day;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A purchase, a cutover, then the terminal reverses the purchase: new transactions carry the new
 * business date, the reversal carries its original's, so the two net out in the same day.
 */
class LateReversalAcrossCutoverTest {
    @TempDir
    Path dir;

    @Test
    void aReversalAfterCutoverIsOnItsOriginalsBusinessDate() throws Exception {
        try (JournalBackend backend = JournalBackend.postgres(LateReversalAcrossCutoverTest.class);
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            IssuerSimulator issuer = fixture.issuer();
            IssuedCard card = issuer.card(0);
            try (TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
                 JournalDatabase database = JournalDatabase.open(backend.config(2, 2_000).toDatabaseConfig())) {
                IsoMessage purchase = terminal.pinPurchase(card, "000501", 4_000);
                assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
                LocalDate day = businessDates(backend, terminal.terminalId()).get(0);

                assertThat(new BusinessCalendar(database, Clock.systemUTC()).closeEarly(day, "test").applied()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> fixture.node().registry().get(BusinessDateOps.GAUGE).gauge().value()
                        == BusinessDateOps.yyyymmdd(day.plusDays(1)));

                IsoMessage another = terminal.pinPurchase(card, "000502", 1_000);
                assertThat(terminal.send(another).getString(39)).isEqualTo("00");
                assertThat(terminal.send(reversalOf(purchase, "000503")).getString(39)).isEqualTo("00");

                // by STAN: the purchase, the next purchase, the reversal
                assertThat(businessDates(backend, terminal.terminalId())).containsExactly(day, day.plusDays(1), day);
            }
        }
    }

    private static List<LocalDate> businessDates(JournalBackend backend, String terminalId) throws Exception {
        List<LocalDate> dates = new ArrayList<>();
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT business_date FROM journal WHERE terminal_id = ? ORDER BY stan")) {
            s.setString(1, terminalId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    dates.add(r.getObject(1, LocalDate.class));
                }
            }
        }
        return dates;
    }
}
