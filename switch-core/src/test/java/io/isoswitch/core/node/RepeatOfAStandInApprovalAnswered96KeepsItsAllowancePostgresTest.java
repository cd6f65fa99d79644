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
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        // node 1 follows the flag within its refresh: a probe of another card is approved in stand-in
        IssuedCard probe = card();
        ForcedStandIn.force(fixture, backend, terminal, this::stan, probeStan -> noPin(terminal, probe, probeStan, 100));

        IssuedCard card = card();
        String stan = stan();
        IsoMessage purchase = noPin(terminal, card, stan, 700);
        try (HeldApprovalCommit held = HeldApprovalCommit.holdStandIn(backend, terminal.terminalId(), stan)) {
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("96");
            // killed before the journal took its writes again: what it owes is on its disk only
            fixture.node().close();
            held.release();
        } finally {
            backend.execute("DROP TRIGGER hold_insert ON journal");
        }
        fixture.journal().awaitState(terminal.terminalId(), stan, "STAND_IN_APPROVED", Duration.ofSeconds(30));
        assertThat(allowanceTaken(terminal.terminalId(), stan)).as("the 96 left the allowance to the journal").isEqualTo(1);

        SwitchNode other = fixture.startAnotherNode("node-2");
        try (TerminalSide atOther = fixture.signedOnAt(other, TerminalDialect.ISO87_BINARY, terminal.terminalId())) {
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
        return ForcedStandIn.cardCount(backend, "STAND_IN", terminalId, stan);
    }
}
