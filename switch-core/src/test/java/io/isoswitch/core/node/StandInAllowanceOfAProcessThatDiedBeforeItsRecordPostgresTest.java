package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.standin.StandInConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Node 1 takes a card's stand-in allowance (one approval a day) for a purchase and its process dies
 * before the approval is recorded: its record's write never commits, and the database refuses node
 * 1's give-back until then. The journal holds no approval: when node 1 starts again, the card must
 * have its allowance back.
 */
class StandInAllowanceOfAProcessThatDiedBeforeItsRecordPostgresTest extends EndToEndScenarios {
    private static final StandInConfig ONE_A_DAY = new StandInConfig("approve", 5_000, 1, List.of("purchase"), 50, 5, 20, 60_000);

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(StandInAllowanceOfAProcessThatDiedBeforeItsRecordPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withConfig(c -> c.withTransactions(c.transactions(), Map.of(SwitchFixture.ISSUER, ONE_A_DAY)));
    }

    /**
     * Regression: nothing gave back an allowance whose request died with its process before the
     * journal had it, and the card was refused stand-in (91) for the rest of the day.
     */
    @Test
    void theCardGetsBackTheAllowanceOfAnApprovalNeverRecorded() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IssuedCard probe = card();
        ForcedStandIn.force(fixture, backend, terminal, this::stan, probeStan -> noPin(terminal, probe, probeStan, 100));

        IssuedCard card = card();
        String stan = stan();
        IsoMessage purchase = noPin(terminal, card, stan, 700);
        long lockKey = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        OwedReversalAfterKillPostgresTest.holdRecordCommit(backend, terminal.terminalId(), stan, lockKey);
        backend.execute("CREATE FUNCTION refuse_give_back() RETURNS trigger AS $$ BEGIN "
                + "IF OLD.contributor LIKE '" + terminal.terminalId() + "|" + stan + "|%' THEN RAISE EXCEPTION 'database out'; END IF; "
                + "RETURN OLD; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER refuse_give_back BEFORE DELETE ON limit_contribution FOR EACH ROW EXECUTE FUNCTION refuse_give_back()");
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return terminal.send(purchase).getString(39);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> waiting(lockKey) > 0);
            // the approval's write dies with its connection: it never commits
            assertThat(terminateWaiting(lockKey)).isEqualTo(1);
            assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("96");
            // the process dies before it could give anything back
            fixture.node().close();
        } finally {
            backend.execute("DROP TRIGGER IF EXISTS hold_insert ON journal");
            backend.execute("DROP TRIGGER IF EXISTS refuse_give_back ON limit_contribution");
        }
        assertThat(fixture.journal().find(terminal.terminalId(), stan)).as("no record of the approval").isEmpty();

        SwitchNode restarted = fixture.startAnotherNode("node-1");
        try (TerminalSide again = new TerminalSide(TerminalDialect.ISO87_BINARY,
                restarted.terminalPorts().get(TerminalDialect.ISO87_BINARY.ordinal()), fixture.hsm(), fixture.tmk(),
                terminal.terminalId())) {
            assertThat(again.signOn("000001")).isEqualTo("00");
            assertThat(again.send(noPin(again, card, stan(), 700)).getString(39))
                    .as("the card's first stand-in approval of the day that stands").isEqualTo("00");
        }
    }

    private static IsoMessage noPin(TerminalSide terminal, IssuedCard card, String stan, long amount) {
        return terminal.requests().purchase(SwitchFixture.read(card), null, stan, amount);
    }

    /** How many sessions wait for advisory lock {@code key} (a 32-bit key: its objid). */
    private long waiting(long key) throws SQLException {
        return count("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = ?", key);
    }

    private long terminateWaiting(long key) throws SQLException {
        return count("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                + " AND classid = 0 AND objid = ?", key);
    }

    private long count(String sql, long key) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
