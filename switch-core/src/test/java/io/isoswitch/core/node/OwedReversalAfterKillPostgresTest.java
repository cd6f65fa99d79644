package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.config.JournalConfig;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.limits.LimitRule;
import io.isoswitch.core.limits.LimitSet;
import io.isoswitch.core.limits.LimitsConfig;
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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The issuer approves a purchase, and the commit of its APPROVED outcome goes through on the
 * database while the switch gives it up (its network timeout passes first: the acknowledgement of
 * the commit is lost). The terminal hears 96, so the switch owes the issuer a reversal. The node's
 * process is killed before it could pay that debt; the node restarts. The card must end up debited
 * nothing, as its terminal was told.
 *
 * <p>The lost acknowledgement: a deferred trigger of the test's holds the commit of this one
 * record's approval on an advisory lock the test holds, for longer than the node's network timeout;
 * the test lets it go once the terminal has heard 96 and the node is gone. The kill is the node
 * closed (its owed reversals, held in memory only, went with it, as with SIGKILL); the restart is a
 * node under the same id on the same schema.
 */
class OwedReversalAfterKillPostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 1_500;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(OwedReversalAfterKillPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withConfig(c -> withNetworkTimeout(c, NETWORK_TIMEOUT_MS));
    }

    /**
     * Regression: the reversal owed for an approval whose terminal heard 96 was held in memory
     * only; the record was APPROVED in the journal, so crash recovery (which resolves records left
     * SENT) did not see it, and the card stayed debited for a purchase its terminal was told failed.
     */
    @Test
    void anApprovalAnswered96IsReversedAfterTheNodeIsKilledAndRestarted() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        holdApprovalCommit(backend, terminal.terminalId(), stan, lockKey);
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");

            assertThat(terminal.send(terminal.pinPurchase(card, stan, 2_500)).getString(39)).isEqualTo("96");
            assertThat(fixture.issuer().available(card)).as("the issuer approved").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 2_500);

            // killed before the journal took writes again
            fixture.node().close();
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        }
        // the commit the node gave up went through: the record reads approved
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                .map(JournalRows.Row::state).orElse("").equals("APPROVED"));
        backend.execute("DROP TRIGGER hold_approval ON journal");

        // a line naming a record this journal does not hold (a commit still held up, or a process that
        // journaled elsewhere): kept owed at the start, abandoned only once its grace is over (UnknownOutcomesTest)
        java.nio.file.Path owedFile = fixture.node().config().journal().owedReversalsFile("node-1");
        String foreign = java.util.UUID.randomUUID().toString();
        java.nio.file.Files.writeString(owedFile, "owed " + foreign + " bank-a 96 100 156\n", java.nio.file.StandardOpenOption.APPEND);

        fixture.startAnotherNode("node-1");
        assertThat(java.nio.file.Files.readString(owedFile)).contains(foreign);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("REVERSED");
            assertThat(fixture.issuer().available(card)).as("the card, as its terminal was told")
                    .isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        });
        // what settlement nets the approval out by, committed with the move to REVERSAL_PENDING by the
        // restarted node: neither paid to the merchant nor cleared (OwedReversalSettlementTest)
        assertThat(fixture.journal().switchReversalsOf(terminal.terminalId(), stan)).singleElement()
                .satisfies(row -> assertThat(row.type() + " " + row.state() + " " + row.amountMinor()).isEqualTo("REVERSAL APPROVED 2500"));
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /**
     * A deferred trigger that holds the commit of this one record's approval (SENT to APPROVED) on
     * the advisory lock {@code lockKey}: while the test holds the lock, the node's write is in doubt.
     */
    static void holdApprovalCommit(JournalBackend backend, String terminalId, String stan, long lockKey) {
        holdMoveCommit(backend, "hold_approval", "SENT", "APPROVED", terminalId, stan, lockKey);
    }

    /**
     * A deferred trigger {@code name} that holds the commit of the move of {@code terminalId}'s
     * record {@code stan} from state {@code from} to {@code to} on the advisory lock {@code lockKey}.
     */
    static void holdMoveCommit(JournalBackend backend, String name, String from, String to, String terminalId, String stan,
                               long lockKey) {
        backend.execute("CREATE FUNCTION " + name + "() RETURNS trigger AS $$ BEGIN "
                + "IF OLD.state = '" + from + "' AND NEW.state = '" + to + "' AND NEW.terminal_id = '" + terminalId
                + "' AND NEW.stan = '" + stan + "' THEN PERFORM pg_advisory_xact_lock_shared(" + lockKey + "); END IF; "
                + "RETURN NULL; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE CONSTRAINT TRIGGER " + name + " AFTER UPDATE ON journal DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION " + name + "()");
    }

    /**
     * A deferred trigger that holds the commit of the record {@code terminalId} inserts under
     * {@code stan} (as a stand-in approval is written) on the advisory lock {@code lockKey}.
     */
    static void holdRecordCommit(JournalBackend backend, String terminalId, String stan, long lockKey) {
        backend.execute("CREATE OR REPLACE FUNCTION hold_insert() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.terminal_id = '" + terminalId + "' AND NEW.stan = '" + stan + "' THEN "
                + "PERFORM pg_advisory_xact_lock_shared(" + lockKey + "); END IF; RETURN NULL; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE CONSTRAINT TRIGGER hold_insert AFTER INSERT ON journal DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION hold_insert()");
    }

    /** {@code defaults} with the journal's network timeout {@code ms} and a daily limit of one purchase per card. */
    static SwitchFixture.Options onePurchasePerCardWithNetworkTimeout(SwitchFixture.Options defaults, long ms) {
        LimitSet onePurchasePerCard = new LimitSet(Map.of("PURCHASE", new LimitRule(0, 0, 1)), Map.of(), Map.of());
        return defaults.withConfig(c -> withNetworkTimeout(c, ms))
                .withLimits(new LimitsConfig(Map.of(LimitsConfig.DEFAULT_CATEGORY, onePurchasePerCard), null));
    }

    /** {@code c} with the journal's network timeout {@code ms}: a commit held longer is given up as in doubt. */
    static SwitchConfig withNetworkTimeout(SwitchConfig c, long ms) {
        JournalConfig j = c.journal();
        JournalConfig shorter = new JournalConfig(j.url(), j.user(), j.password(), j.poolSize(), j.connectionTimeoutMs(), j.schema(),
                j.writerThreads(), ms, j.owedReversalsDir());
        return new SwitchConfig(c.nodeId(), c.businessZone(), c.listeners(), c.ops(), shorter, c.security(), c.pipeline(),
                c.issuers(), c.routesFile(), c.terminalsFile(), c.limits(), c.transactions(), c.standIn(), c.settlement());
    }
}
