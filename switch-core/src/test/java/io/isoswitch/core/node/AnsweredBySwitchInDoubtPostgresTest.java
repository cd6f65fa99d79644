package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.standin.StandInConfig;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalRequests;
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
 * Transactions the switch answers itself, journaled with the message that tells their issuer in one
 * database transaction (a stand-in approval with its advice, a completion advice with its 0220),
 * whose commit goes through on the database while the switch gives it up (its network timeout
 * passes first: the acknowledgement of the commit is lost). The terminal hears 96; what the
 * journal then holds must still come out right with the issuer.
 *
 * <p>The lost acknowledgement, as in {@link OwedReversalAfterKillPostgresTest}: a deferred trigger
 * of the test's holds the commit of one record on an advisory lock the test holds, for longer than
 * the node's network timeout, and the test lets it go once the terminal has heard 96.
 */
class AnsweredBySwitchInDoubtPostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 1_500;
    private static final StandInConfig APPROVING = new StandInConfig("approve", 5_000, 5, List.of("purchase"), 50, 5, 20, 60_000);

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(AnsweredBySwitchInDoubtPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withIssuerTimeoutMs(500).withIssuerEchoIntervalMs(500).withConfig(c -> OwedReversalAfterKillPostgresTest
                .withNetworkTimeout(c, NETWORK_TIMEOUT_MS).withTransactions(c.transactions(), Map.of(SwitchFixture.ISSUER, APPROVING)));
    }

    /**
     * The issuer is down and the switch approves a purchase in stand-in; the terminal hears 96, so the
     * sale did not happen for it, yet the record commits approved with its advice, which debits the
     * card once the issuer is back. The card must end up debited nothing, as its terminal was told.
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
        OwedReversalAfterKillPostgresTest.holdRecordCommit(backend, terminal.terminalId(), stan, lockKey);
        fixture.issuer().stop();
        fixture.awaitIssuerLink(false);
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            assertThat(terminal.send(terminal.requests().purchase(SwitchFixture.read(card), null, stan, 600)).getString(39))
                    .isEqualTo("96");
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        } finally {
            backend.execute("DROP TRIGGER hold_insert ON journal");
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

    /**
     * A pre-authorization is completed by an advice whose commit is in doubt: the terminal hears 96
     * and, as terminals do with advices, sends it again, answered from the journal (approved). A
     * second completion of the pre-authorization must then be refused (94, completed already), not
     * captured a second time.
     *
     * <p>Regression: the 96 gave the completion's share of the pre-authorization back (as for any
     * request not approved) while its record committed approved with its 0220 queued; the resent
     * advice, answered from the journal, gave its own share back too, and the pre-authorization could
     * be completed again.
     */
    @Test
    void aCompletionAdviceAnswered96StillCompletesItsPreAuthorizationOnce() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
        TerminalRequests.Card read = SwitchFixture.read(card);
        String holdStan = stan();
        IsoMessage hold = terminal.send(terminal.requests().preAuthorization(read, terminal.pinBlock(card.pin(), card.account().pan()),
                holdStan, 3_000));
        assertThat(hold.getString(39)).isEqualTo("00");
        String stan = stan();
        IsoMessage advice = terminal.requests().completionAdvice(read, stan, 2_500, hold.getString(37), hold.getString(38), holdStan);
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        OwedReversalAfterKillPostgresTest.holdRecordCommit(backend, terminal.terminalId(), stan, lockKey);
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            assertThat(terminal.send(advice).getString(39)).isEqualTo("96");
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        } finally {
            backend.execute("DROP TRIGGER hold_insert ON journal");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan).isPresent());
        assertThat(terminal.send(advice).getString(39)).as("the advice sent again, answered from the journal").isEqualTo("00");

        IsoMessage second = terminal.requests().completionAdvice(read, stan(), 2_500, hold.getString(37), hold.getString(38), holdStan);
        assertThat(terminal.send(second).getString(39)).as("a second completion of the pre-authorization").isEqualTo("94");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(fixture.issuer().balance(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 2_500));
        assertThat(fixture.issuer().bank().conservationViolations()).isEmpty();
    }

}
