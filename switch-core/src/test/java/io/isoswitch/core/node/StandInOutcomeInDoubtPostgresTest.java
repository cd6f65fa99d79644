package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.standin.StandInConfig;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The issuer is down and the switch approves a purchase in stand-in; the commit of that approval
 * (its record STAND_IN_APPROVED and the advice to the issuer, one database transaction) goes
 * through on the database while the switch gives it up (its network timeout passes first: the
 * acknowledgement of the commit is lost). The terminal hears 96, so the sale did not happen for
 * it; the advice, delivered once the issuer is back, debits the card all the same. The card must
 * end up debited nothing, as its terminal was told.
 *
 * <p>The lost acknowledgement, as in {@link OwedReversalAfterKillPostgresTest}: a deferred trigger
 * of the test's holds the commit of this one record on an advisory lock the test holds, for longer
 * than the node's network timeout, and the test lets it go once the terminal has heard 96.
 */
class StandInOutcomeInDoubtPostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 1_500;
    private static final StandInConfig APPROVING = new StandInConfig("approve", 5_000, 5, List.of("purchase"), 50, 5, 20, 60_000);

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(StandInOutcomeInDoubtPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withIssuerTimeoutMs(500).withIssuerEchoIntervalMs(500).withConfig(c -> OwedReversalAfterKillPostgresTest
                .withNetworkTimeout(c, NETWORK_TIMEOUT_MS).withTransactions(c.transactions(), Map.of(SwitchFixture.ISSUER, APPROVING)));
    }

    /**
     * Regression: the failed stand-in write was answered 96 and nothing more; the record committed
     * approved behind the switch's back, its advice reached the issuer, and the card stayed debited
     * for a purchase its terminal was told failed.
     */
    @Test
    void aStandInApprovalAnswered96IsUndoneAtTheIssuer() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        backend.execute("CREATE FUNCTION hold_stand_in() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.state = 'STAND_IN_APPROVED' AND NEW.terminal_id = '" + terminal.terminalId()
                + "' AND NEW.stan = '" + stan + "' THEN PERFORM pg_advisory_xact_lock_shared(" + lockKey + "); END IF; "
                + "RETURN NULL; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE CONSTRAINT TRIGGER hold_stand_in AFTER INSERT ON journal DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION hold_stand_in()");
        fixture.issuer().stop();
        fixture.awaitIssuerLink(false);
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            assertThat(terminal.send(terminal.requests().purchase(SwitchFixture.read(card), null, stan, 600)).getString(39))
                    .isEqualTo("96");
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        } finally {
            backend.execute("DROP TRIGGER hold_stand_in ON journal");
        }
        // the commit the node gave up went through: the record was approved in stand-in
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan).isPresent());

        fixture.issuer().start();
        fixture.awaitIssuerLink(true);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(fixture.issuer().balance(card)).as("the card, as its terminal was told").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
            assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
            assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("REVERSED");
        });
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }
}
