package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.standin.StandInConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A stand-in approval (operations forced the issuer into stand-in; every node reads that from the
 * journal database) whose write is in doubt: node 1 answers 96, keeps the card's stand-in allowance
 * until the journal decides and owes the reversal advice; the record commits all the same. The terminal's repeat reaches
 * node 2, which answers it 00 from the record. The allowance is one approval a day: the approval that
 * stands must hold it.
 */
class RepeatOfAStandInApprovalAnswered96KeepsItsAllowancePostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 1_500;
    private static final StandInConfig ONE_A_DAY = new StandInConfig("approve", 5_000, 1, List.of("purchase"), 50, 5, 20, 60_000);

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(RepeatOfAStandInApprovalAnswered96KeepsItsAllowancePostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withConfig(c -> OwedReversalAfterKillPostgresTest.withNetworkTimeout(c, NETWORK_TIMEOUT_MS)
                .withTransactions(c.transactions(), Map.of(SwitchFixture.ISSUER, ONE_A_DAY)));
    }

    /**
     * Regression: the repeat told the stand-in approval stands did not take the allowance the 96 had
     * given back, and the card was approved in stand-in a second time that day, past its allowance.
     */
    @Test
    void aRepeatToldTheStandInApprovalStandsHoldsTheCardsAllowance() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        backend.execute("INSERT INTO forced_stand_in (issuer_id, forced, changed_by, changed_at) VALUES ('" + SwitchFixture.ISSUER
                + "', TRUE, 'test', CURRENT_TIMESTAMP)");
        // node 1 follows the flag within its refresh: a probe of another card is approved in stand-in
        IssuedCard probe = card();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String probeStan = stan();
            terminal.send(noPin(terminal, probe, probeStan, 100));
            return fixture.journal().find(terminal.terminalId(), probeStan).map(JournalRows.Row::state).orElse("")
                    .equals("STAND_IN_APPROVED");
        });

        IssuedCard card = card();
        String stan = stan();
        IsoMessage purchase = noPin(terminal, card, stan, 700);
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        backend.execute("CREATE OR REPLACE FUNCTION hold_insert() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.terminal_id = '" + terminal.terminalId() + "' AND NEW.stan = '" + stan + "' THEN "
                + "PERFORM pg_advisory_xact_lock_shared(" + lockKey + "); END IF; RETURN NULL; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE CONSTRAINT TRIGGER hold_insert AFTER INSERT ON journal DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION hold_insert()");
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("96");
            // killed before the journal took its writes again: what it owes is on its disk only
            fixture.node().close();
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        } finally {
            backend.execute("DROP TRIGGER hold_insert ON journal");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                .map(JournalRows.Row::state).orElse("").equals("STAND_IN_APPROVED"));
        assertThat(allowanceTaken(terminal.terminalId(), stan)).as("the 96 left the allowance to the journal").isEqualTo(1);

        SwitchNode other = fixture.startAnotherNode("node-2");
        try (TerminalSide atOther = new TerminalSide(TerminalDialect.ISO87_BINARY,
                other.terminalPorts().get(TerminalDialect.ISO87_BINARY.ordinal()), fixture.hsm(), fixture.tmk(), terminal.terminalId())) {
            assertThat(atOther.signOn("000001")).isEqualTo("00");
            assertThat(atOther.send(purchase).getString(39)).as("the repeat, answered from the record").isEqualTo("00");
            assertThat(allowanceTaken(terminal.terminalId(), stan)).as("the allowance of the approval that stands").isEqualTo(1);
            assertThat(atOther.send(noPin(atOther, card, stan(), 700)).getString(39))
                    .as("the card's second stand-in approval of the day").isEqualTo("91");
        }

        // node 1 back: its owed reversal finds the approval told to a repeat, and leaves it and its allowance
        fixture.startAnotherNode("node-1");
        Path owedFile = fixture.node().config().journal().owedReversalsFile("node-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(owedFile).contains("settled "));
        assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("STAND_IN_APPROVED");
        assertThat(allowanceTaken(terminal.terminalId(), stan)).as("held once").isEqualTo(1);
    }

    private static IsoMessage noPin(TerminalSide terminal, IssuedCard card, String stan, long amount) {
        return terminal.requests().purchase(SwitchFixture.read(card), null, stan, amount);
    }

    /** The stand-in approvals counted today for the card of {@code terminalId}'s record under {@code stan}. */
    private long allowanceTaken(String terminalId, String stan) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(txn_count), 0)"
                + " FROM limit_counter WHERE key_kind = 'CARD' AND transaction_type = 'STAND_IN' AND key_value ="
                + " (SELECT encode(pan_token, 'hex') FROM journal WHERE terminal_id = ? AND stan = ?)")) {
            s.setString(1, terminalId);
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
