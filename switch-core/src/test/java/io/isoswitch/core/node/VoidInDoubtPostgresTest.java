package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.isoswitch.codec.IsoMessage;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A void whose move's commit is in doubt: the database acknowledges it later than the node's
 * network timeout, so the node gives the write up, yet it commits, and the sale's reversal goes to
 * the issuer. The terminal must hear what the journal then holds, 00: DatabaseOutageChaosTest found
 * a void answered 96 whose commit had gone through, an account credited for a sale its terminal
 * still counted as sold.
 *
 * <p>The late acknowledgement, as in {@link AnsweredBySwitchInDoubtPostgresTest}: a deferred trigger
 * of the test's holds the void's insert on an advisory lock the test lets go of after the timeout.
 */
class VoidInDoubtPostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 1_500;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(VoidInDoubtPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withConfig(c -> OwedReversalAfterKillPostgresTest.withNetworkTimeout(c, NETWORK_TIMEOUT_MS));
    }

    @Test
    void aVoidWhoseCommitWasInDoubtButWentThroughIsAnswered00() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        String saleStan = stan();
        IsoMessage sale = terminal.send(terminal.requests().purchase(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), saleStan, 4_200));
        assertThat(sale.getString(39)).isEqualTo("00");
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.issuer().balance(card) == IssuerSimulator.OPENING_BALANCE_MINOR - 4_200);

        String voidStan = stan();
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        OwedReversalAfterKillPostgresTest.holdRecordCommit(backend, terminal.terminalId(), voidStan, lockKey);
        IsoMessage answer;
        Logger writerLog = (Logger) LoggerFactory.getLogger("io.isoswitch.settlement.journal.GroupCommitWriter");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        writerLog.addAppender(logged);
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            CompletableFuture<IsoMessage> voided = CompletableFuture.supplyAsync(() -> sendUnchecked(terminal,
                    terminal.requests().purchaseVoid(SwitchFixture.read(card), voidStan, 4_200, sale.getString(37), saleStan)));
            // past the node's network timeout it gives the write up as in doubt (logged); the commit then goes through
            await().alias("the void's write given up").atMost(Duration.ofSeconds(30)).until(() -> logged.list.stream()
                    .anyMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN) && e.getFormattedMessage().contains("failed")));
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
            answer = voided.join();
        } finally {
            writerLog.detachAppender(logged);
            backend.execute("DROP TRIGGER hold_insert ON journal");
        }
        assertThat(fixture.journal().find(terminal.terminalId(), voidStan).map(JournalRows.Row::state)).as("the void's record")
                .contains("APPROVED");
        assertThat(answer.getString(39)).as("the void, whose move the journal holds").isEqualTo("00");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(fixture.issuer().balance(card)).as("the sale reversed").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR));
    }

    private static IsoMessage sendUnchecked(TerminalSide terminal, IsoMessage request) {
        try {
            return terminal.send(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
