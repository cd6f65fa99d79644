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

    /**
     * A void whose commit lands only after its terminal was answered 96 (its read-back found nothing):
     * the terminal takes the sale as standing and never reverses the void, so the switch undoes it
     * itself once it finds the record. Before, the void's issuer reversal went once its hold was over,
     * and the issuer credited a sale the merchant kept.
     */
    @Test
    void aVoidAnswered96WhoseCommitLandsLaterIsUndoneSoThatTheSaleStands() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        String saleStan = stan();
        IsoMessage sale = saleOf(terminal, card, saleStan, 3_300);
        String voidStan = stan();
        IsoMessage answer = voidHeldUntilAnswered(terminal, card, sale, voidStan, 3_300);
        assertThat(answer.getString(39)).as("the void, not found by its read-back").isEqualTo("96");

        fixture.journal().awaitState(terminal.terminalId(), voidStan, "REVERSED", Duration.ofSeconds(30));
        assertThat(fixture.journal().find(terminal.terminalId(), saleStan).map(JournalRows.Row::state)).as("the sale")
                .contains("APPROVED");
        assertThat(fixture.journal().switchReversalsOf(terminal.terminalId(), voidStan)).hasSize(1);
        String saleEntries = "SELECT q.id FROM saf_queue q JOIN journal j ON j.id = q.journal_id WHERE j.terminal_id = '"
                + terminal.terminalId() + "' AND j.stan = '" + saleStan + "' AND j.mti_class = '020'";
        assertThat(count("SELECT count(*) FROM saf_queue WHERE state = 'CANCELLED' AND id IN (" + saleEntries + ")"))
                .as("the sale's reversal, cancelled").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM saf_attempt WHERE saf_id IN (" + saleEntries + ")")).as("nothing sent to the issuer")
                .isZero();
        assertThat(fixture.issuer().balance(card)).as("the sale stands").isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 3_300);
        assertThat(terminal.send(terminal.requests().purchaseVoid(SwitchFixture.read(card), voidStan, 3_300, sale.getString(37),
                saleStan)).getString(39)).as("a repeat of the undone void").isEqualTo("96");
    }

    /**
     * The same, but the terminal repeats its void once the commit landed: whichever the switch did
     * first (undo the void, or tell the repeat it stands), the card ends as the terminal last heard.
     * Before the repeat marked the void as told, a repeat told 00 could still see the void undone.
     */
    @Test
    void aRepeatOfAVoidAnswered96EndsAsItsAnswerSays() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        String saleStan = stan();
        IsoMessage sale = saleOf(terminal, card, saleStan, 3_500);
        // the issuer away: a void's reversal released by the repeat's 00 waits in the queue, where the
        // switch's undoing of the void could still cancel it
        fixture.issuer().stop();
        fixture.awaitIssuerLink(false);
        String voidStan = stan();
        Logger voidsLog = (Logger) LoggerFactory.getLogger("io.isoswitch.core.pipeline.TransactionVoids");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        voidsLog.addAppender(logged);
        try {
            repeatAVoidAnswered96(terminal, card, sale, saleStan, voidStan, logged);
        } finally {
            voidsLog.detachAppender(logged);
        }
    }

    private void repeatAVoidAnswered96(TerminalSide terminal, IssuedCard card, IsoMessage sale, String saleStan, String voidStan,
                                       ListAppender<ILoggingEvent> logged) throws Exception {
        assertThat(voidHeldUntilAnswered(terminal, card, sale, voidStan, 3_500).getString(39)).isEqualTo("96");
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.journal().find(terminal.terminalId(), voidStan).isPresent());

        String repeat = terminal.send(terminal.requests().purchaseVoid(SwitchFixture.read(card), voidStan, 3_500, sale.getString(37),
                saleStan)).getString(39);
        assertThat(repeat).isIn("00", "96");
        long expected = IssuerSimulator.OPENING_BALANCE_MINOR - ("00".equals(repeat) ? 0 : 3_500);
        // the switch's look at the void found it (logged), whether before the repeat or after; then its reversal is
        // delivered if it stands
        await().atMost(Duration.ofSeconds(30)).until(() -> logged.list.stream()
                .anyMatch(e -> e.getFormattedMessage().contains("STAN " + voidStan + " answered 96 was found committed")));
        fixture.issuer().start();
        fixture.awaitIssuerLink(true);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(fixture.issuer().balance(card)).as("the card, after a repeat answered " + repeat).isEqualTo(expected));
        assertThat(fixture.journal().find(terminal.terminalId(), voidStan).map(JournalRows.Row::state))
                .contains("00".equals(repeat) ? "APPROVED" : "REVERSED");
    }

    private IsoMessage saleOf(TerminalSide terminal, IssuedCard card, String stan, long amount) throws Exception {
        IsoMessage sale = terminal.send(terminal.requests().purchase(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), stan, amount));
        assertThat(sale.getString(39)).isEqualTo("00");
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.issuer().balance(card) == IssuerSimulator.OPENING_BALANCE_MINOR - amount);
        return sale;
    }

    /** Sends the void of {@code sale} with its commit held until its terminal is answered; then lets it commit. */
    private IsoMessage voidHeldUntilAnswered(TerminalSide terminal, IssuedCard card, IsoMessage sale, String voidStan, long amount)
            throws Exception {
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        OwedReversalAfterKillPostgresTest.holdRecordCommit(backend, terminal.terminalId(), voidStan, lockKey);
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            IsoMessage answer = terminal.send(terminal.requests().purchaseVoid(SwitchFixture.read(card), voidStan, amount,
                    sale.getString(37), sale.getString(11)));
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
            return answer;
        } finally {
            backend.execute("DROP TRIGGER hold_insert ON journal");
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = backend.connect(); Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static IsoMessage sendUnchecked(TerminalSide terminal, IsoMessage request) {
        try {
            return terminal.send(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
