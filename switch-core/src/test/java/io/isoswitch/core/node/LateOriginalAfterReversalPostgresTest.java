package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.isoswitch.core.pipeline.LateApprovals;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A purchase reaches its issuer only after its own reversal did (written late on a dead path, held
 * in a network buffer, while the reversal went another way). The issuer, like many hosts, matches a
 * reversal only against what it holds: it acknowledges the reversal as "no original", forgets it,
 * then approves the purchase when it comes, and its approval reaches the switch long after the
 * terminal heard 91. The card must end up debited nothing, as its terminal was told.
 */
class LateOriginalAfterReversalPostgresTest extends EndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(LateOriginalAfterReversalPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withIssuerTimeoutMs(1_000).withTerminalsPerDialect(3);
    }

    /** An issuer, as many hosts, that matches a reversal only against what it holds, and forgets one of an unknown original. */
    @BeforeEach
    void forgetfulIssuer() {
        fixture.issuer().bank().rememberReversalsOfUnseenOriginals(false);
    }

    /**
     * Regression: the late approval was only logged; the reversal had been acknowledged already, so
     * nothing reversed the purchase the issuer approved after it, and the card stayed debited.
     */
    @Test
    void aLateApprovalOfAPurchaseWhoseReversalWentFirstIsReversedAgain() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        IssuerSimulator issuer = fixture.issuer();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        try {
            purchaseWhoseReversalWentFirst(terminal, card, stan, 1_800);
            assertThat(issuer.available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        } finally {
            issuer.releaseRequests();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(issuer.entries(io.isoswitch.sim.ledger.EntryKind.DEBIT))
                    .as("the issuer approved the purchase when it came").isNotEmpty();
            assertThat(issuer.available(card)).as("the card, as its terminal was told").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
            assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("REVERSED");
        });
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
        assertThat(issuer.bank().conservationViolations()).isEmpty();
    }

    /**
     * The same, with the late approval crossing the acknowledgement of the reversal: the issuer has
     * acknowledged the reversal as "no original" and forgotten it, and the switch's commit of that
     * acknowledgement (REVERSAL_PENDING to REVERSED) is still on its way when the approval comes, so
     * the record still reads REVERSAL_PENDING. The commit is held by a deferred trigger of the test's
     * on an advisory lock the test holds, until the late approval's reversal waits behind it.
     *
     * <p>Regression: queuing the reversal again from REVERSAL_PENDING was a transition from that state
     * to itself, which the journal refuses (IllegalArgumentException); the failure was only logged and
     * the card stayed debited for the purchase its terminal was told failed.
     */
    @Test
    void aLateApprovalThatCrossesItsReversalsAcknowledgementIsReversedAgain() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        IssuerSimulator issuer = fixture.issuer();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        backend.execute("CREATE FUNCTION hold_reversed() RETURNS trigger AS $$ BEGIN "
                + "IF OLD.state = 'REVERSAL_PENDING' AND NEW.state = 'REVERSED' AND NEW.terminal_id = '" + terminal.terminalId()
                + "' AND NEW.stan = '" + stan + "' THEN PERFORM pg_advisory_xact_lock_shared(" + lockKey + "); END IF; "
                + "RETURN NULL; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE CONSTRAINT TRIGGER hold_reversed AFTER UPDATE ON journal DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION hold_reversed()");
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            issuer.holdRequests();
            try {
                assertThat(terminal.send(terminal.pinPurchase(card, stan, 1_700)).getString(39)).isEqualTo("91");
                // the issuer acknowledged the reversal as "no original"; its commit waits on the test's lock
                await().atMost(Duration.ofSeconds(30)).until(() -> waitsFor(lockHolder));
            } finally {
                issuer.releaseRequests();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> issuer.available(card) < IssuerSimulator.OPENING_BALANCE_MINOR);
            // the late approval's reversal is queued behind the held acknowledgement (its record's row lock)
            await().alias("the late approval's reversal waits behind the acknowledgement")
                    .atMost(Duration.ofSeconds(30)).until(() -> aStateChangeWaitsBehindAWaiterFor(lockHolder));
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        } finally {
            backend.execute("DROP TRIGGER hold_reversed ON journal");
        }
        debitedNothingAsItsTerminalWasTold(terminal, card, stan);
    }

    /**
     * The same, with the journal unreadable when the late approval comes (its table renamed away: the
     * database as good as down for the look-up). Regression: the failed look-up was only logged, the
     * approval stood, and the card stayed debited for a purchase its terminal heard fail (an outside
     * judge, PostgreSQL away for 9 s as late approvals came). Now it is looked up again until the
     * journal answers, and reversed then.
     */
    @Test
    void aLateApprovalThatComesWhileTheJournalCannotBeReadIsReversedOnceItCan() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        IssuerSimulator issuer = fixture.issuer();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 3);
        Logger log = (Logger) LoggerFactory.getLogger(LateApprovals.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            purchaseWhoseReversalWentFirst(terminal, card, stan, 1_600);
            backend.execute("ALTER TABLE journal RENAME TO journal_away");
            try {
                issuer.releaseRequests();
                await().atMost(Duration.ofSeconds(30)).until(() -> issuer.available(card) < IssuerSimulator.OPENING_BALANCE_MINOR);
                // its look-up has failed (logged) before the journal can be read again
                await().alias("the late approval's look-up failed").atMost(Duration.ofSeconds(30)).until(() -> logged.list.stream()
                        .anyMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN)));
            } finally {
                backend.execute("ALTER TABLE journal_away RENAME TO journal");
            }
        } finally {
            issuer.releaseRequests();
            log.detachAppender(logged);
        }
        debitedNothingAsItsTerminalWasTold(terminal, card, stan);
    }

    /**
     * The issuer holds requests; a purchase times out (91) and its reversal, overtaking it, is
     * acknowledged as "no original" and forgotten. The purchase stays held until the caller releases it.
     */
    private void purchaseWhoseReversalWentFirst(TerminalSide terminal, IssuedCard card, String stan, long amount) throws Exception {
        fixture.issuer().holdRequests();
        assertThat(terminal.send(terminal.pinPurchase(card, stan, amount)).getString(39)).isEqualTo("91");
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                .map(JournalRows.Row::state).orElse("").equals("REVERSED"));
    }

    /** The card ends up debited nothing, its record reversed, and the issuer's books agree with the journal. */
    private void debitedNothingAsItsTerminalWasTold(TerminalSide terminal, IssuedCard card, String stan) throws Exception {
        IssuerSimulator issuer = fixture.issuer();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(issuer.available(card)).as("the card, as its terminal was told").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
            assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("REVERSED");
        });
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
        assertThat(issuer.bank().conservationViolations()).isEmpty();
    }

    /** Whether another session waits for a lock {@code own} holds. */
    private static boolean waitsFor(Connection own) throws SQLException {
        return count(own, "SELECT count(*) FROM pg_locks l WHERE NOT l.granted AND pg_backend_pid() = ANY(pg_blocking_pids(l.pid))") > 0;
    }

    /**
     * Whether a journal state change waits for a session that waits for a lock {@code own} holds:
     * the writer's change of the record, behind the held acknowledgement's row lock.
     */
    private static boolean aStateChangeWaitsBehindAWaiterFor(Connection own) throws SQLException {
        return count(own, "SELECT count(*) FROM pg_stat_activity a WHERE a.wait_event_type = 'Lock'"
                + " AND a.query LIKE 'UPDATE journal SET state = $1%' AND EXISTS (SELECT 1 FROM pg_locks m WHERE NOT m.granted"
                + " AND pg_backend_pid() = ANY(pg_blocking_pids(m.pid)) AND m.pid = ANY(pg_blocking_pids(a.pid)))") > 0;
    }

    private static long count(Connection own, String sql) throws SQLException {
        try (Statement s = own.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }
}
