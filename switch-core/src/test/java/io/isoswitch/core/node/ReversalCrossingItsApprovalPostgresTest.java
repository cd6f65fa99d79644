package io.isoswitch.core.node;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.limits.LimitRule;
import io.isoswitch.core.limits.LimitSet;
import io.isoswitch.core.limits.LimitsConfig;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A terminal reverses a purchase still at its issuer, and the issuer's approval is journaled between
 * the reversal reading the purchase (SENT) and moving it: the reversal then moves it from APPROVED
 * ({@code TerminalReversals.moveWith}). The approval took the card's daily count, and the reversal,
 * which undoes it, must give that count back. The race is made to overlap by holding the reversal in
 * its claim on the purchase (a row lock of the test's on the purchase's refund counter) while the
 * issuer's answer is let go.
 */
class ReversalCrossingItsApprovalPostgresTest extends EndToEndScenarios {
    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(ReversalCrossingItsApprovalPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        LimitSet limits = new LimitSet(Map.of("PURCHASE", new LimitRule(0, 0, 3)), Map.of(), Map.of());
        return defaults.withIssuerTimeoutMs(60_000).withLimits(new LimitsConfig(Map.of(LimitsConfig.DEFAULT_CATEGORY, limits), null));
    }

    /**
     * Regression: the reversal gave back what the purchase counted only if the purchase stood when it
     * was read, so a purchase approved between the read and the move kept its count: the card's daily
     * count carried a purchase that was reversed.
     */
    @Test
    void aReversalThatMovesItsOriginalFromAnApprovalCommittedAfterItsReadGivesTheCountBack() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        TerminalSide second = terminal.anotherConnection(fixture.port(TerminalDialect.ISO87_BINARY));
        fixture.issuer().holdAnswers();
        IsoMessage purchase = terminal.pinPurchase(card, stan, 1_000);
        terminal.client().sendRaw(terminal.signed(purchase));
        await().atMost(30, TimeUnit.SECONDS).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                .map(row -> row.state().equals("SENT")).orElse(false));
        assertThat(CrashRecoveryLimitsPostgresTest.cardPurchases(backend, terminal, stan)).as("counted while at the issuer").isEqualTo(1);

        try (var sender = Executors.newVirtualThreadPerTaskExecutor(); Connection lock = backend.connect()) {
            lock.setAutoCommit(false);
            holdRefundCounterOf(lock, terminal, stan);
            CompletableFuture<IsoMessage> reversed = CompletableFuture.supplyAsync(() -> {
                try {
                    return second.send(reversalOf(purchase, stan()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, sender);
            // the reversal has read the purchase SENT and waits in its claim
            await().atMost(Duration.ofSeconds(30)).until(() -> waitsFor(lock));
            fixture.issuer().releaseAnswers();
            assertThat(terminal.answer(terminal.client().readBody()).getString(39)).as("approved before the reversal moved it")
                    .isEqualTo("00");
            lock.commit();
            assertThat(reversed.get(30, TimeUnit.SECONDS).getString(39)).isEqualTo("00");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                .map(row -> row.state().equals("REVERSED")).orElse(false));
        assertThat(fixture.issuer().available(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR);
        assertThat(CrashRecoveryLimitsPostgresTest.cardPurchases(backend, terminal, stan)).as("the reversed purchase's count").isZero();
    }

    /** Creates the purchase's refund counter (what a reversal claims of it) and locks it in {@code lock}'s transaction. */
    private static void holdRefundCounterOf(Connection lock, TerminalSide terminal, String stan) throws SQLException {
        try (PreparedStatement s = lock.prepareStatement("INSERT INTO limit_counter (key_kind, key_value, business_date,"
                + " transaction_type, currency, txn_count, amount_minor, updated_at) SELECT 'ORIGINAL', CAST(id AS VARCHAR),"
                + " business_date, 'REFUND', currency, 0, 0, now() FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%'")) {
            s.setString(1, terminal.terminalId());
            s.setString(2, stan);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        lock.commit();
        try (PreparedStatement s = lock.prepareStatement("SELECT txn_count FROM limit_counter WHERE key_kind = 'ORIGINAL'"
                + " AND key_value = (SELECT CAST(id AS VARCHAR) FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%') FOR UPDATE")) {
            s.setString(1, terminal.terminalId());
            s.setString(2, stan);
            s.executeQuery().close();
        }
    }

    /** Whether another session waits for a lock {@code own} holds. */
    private static boolean waitsFor(Connection own) throws SQLException {
        try (Statement s = own.createStatement(); ResultSet rows = s.executeQuery(
                "SELECT count(*) FROM pg_locks l WHERE NOT l.granted AND pg_backend_pid() = ANY(pg_blocking_pids(l.pid))")) {
            return rows.next() && rows.getLong(1) > 0;
        }
    }
}
