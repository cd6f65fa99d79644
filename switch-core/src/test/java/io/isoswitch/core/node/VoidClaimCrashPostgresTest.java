package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.config.JournalConfig;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A purchase void claims all of its sale's refund counter (so that a refund racing it is refused),
 * then moves the sale and journals itself in one database transaction. The node dies between the
 * two: the void never happened (nothing journaled it, its terminal never heard 00), the sale stands.
 * After the node's restart, a refund of the sale must be served, not refused as above what is left
 * to refund.
 *
 * <p>The crash between the two: a trigger of the test's holds the sale's move on an advisory lock
 * the test holds, beyond the node's network timeout (the void hears 96); the node is then closed
 * (killed) before the lock is let go, so the move never commits. The restart is a node under the
 * same id on the same schema.
 */
class VoidClaimCrashPostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 1_500;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(VoidClaimCrashPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withConfig(c -> withNetworkTimeout(c, NETWORK_TIMEOUT_MS));
    }

    /** Regression: the void's claim outlived its process, and every refund of the sale was answered 13. */
    @Test
    void aVoidThatDiedBetweenItsClaimAndItsMoveDoesNotBlockRefundsAfterTheRestart() throws Exception {
        IssuedCard card = card();
        String saleStan = stan();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage sale = terminal.send(terminal.requests().purchase(SwitchFixture.read(card), null, saleStan, 3_000));
        assertThat(sale.getString(39)).isEqualTo("00");
        String saleId = journalId(terminal.terminalId(), saleStan);

        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        backend.execute("CREATE FUNCTION hold_void_move() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.id = '" + saleId + "' AND NEW.state = 'REVERSAL_PENDING' THEN PERFORM pg_advisory_xact_lock_shared("
                + lockKey + "); END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER hold_void_move BEFORE UPDATE ON journal FOR EACH ROW EXECUTE FUNCTION hold_void_move()");
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            IsoMessage voidRequest = terminal.requests().purchaseVoid(SwitchFixture.read(card), stan(), 3_000, sale.getString(37), saleStan);
            assertThat(terminal.send(voidRequest).getString(39)).isEqualTo("96");
            // killed before its move could commit
            fixture.node().close();
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        }
        backend.execute("DROP TRIGGER hold_void_move ON journal");
        assertThat(fixture.journal().find(terminal.terminalId(), saleStan).map(JournalRows.Row::state)).contains("APPROVED");

        SwitchNode restarted = fixture.startAnotherNode("node-1");
        try (TerminalSide again = new TerminalSide(TerminalDialect.ISO87_BINARY,
                restarted.terminalPorts().get(TerminalDialect.ISO87_BINARY.ordinal()), fixture.hsm(), fixture.tmk(), terminal.terminalId())) {
            assertThat(again.signOn("000001")).isEqualTo("00");
            IsoMessage refund = again.send(again.requests().refund(SwitchFixture.read(card), stan(), 3_000, sale.getString(37)));
            assertThat(refund.getString(39)).as("a refund of the sale the void never voided").isEqualTo("00");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.issuer().available(card) == IssuerSimulator.OPENING_BALANCE_MINOR);
    }

    private String journalId(String terminalId, String stan) throws Exception {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT id FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%'")) {
            s.setString(1, terminalId);
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getString(1);
            }
        }
    }

    private static SwitchConfig withNetworkTimeout(SwitchConfig c, long ms) {
        JournalConfig j = c.journal();
        JournalConfig shorter = new JournalConfig(j.url(), j.user(), j.password(), j.poolSize(), j.connectionTimeoutMs(), j.schema(),
                j.writerThreads(), ms, j.owedReversalsDir());
        return new SwitchConfig(c.nodeId(), c.businessZone(), c.listeners(), c.ops(), shorter, c.security(), c.pipeline(),
                c.issuers(), c.routesFile(), c.terminalsFile(), c.limits(), c.transactions(), c.standIn(), c.settlement());
    }
}
