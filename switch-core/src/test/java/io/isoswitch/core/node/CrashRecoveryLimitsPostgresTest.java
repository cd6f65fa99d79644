package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.limits.LimitRule;
import io.isoswitch.core.limits.LimitSet;
import io.isoswitch.core.limits.LimitsConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Regression: a node killed while a purchase was at its issuer is restarted; crash recovery queues
 * the purchase's reversal, yet the card's daily count kept the purchase, since the request that
 * would have given it back died with the process. With a daily count of three purchases per card,
 * a purchase reversed this way and retried by its terminal after the restart counted twice, and
 * the card's third real purchase of the day was declined 65 (seen with `iso-switch serve` killed
 * with SIGKILL). Recovery now gives back what the records it resolves had counted.
 *
 * <p>The restart is a second node started under the crashed node's id while the first still waits
 * for the held answer: as far as the journal database is concerned that is what a restart after a
 * kill is (the first node's process holds nothing the second can see), and the first node's own
 * issuer timeout is long enough that it does not act before the counts are read.
 */
class CrashRecoveryLimitsPostgresTest extends EndToEndScenarios {
    private static final String NODE_ID = "node-1";

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(CrashRecoveryLimitsPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        LimitSet limits = new LimitSet(Map.of("PURCHASE", new LimitRule(0, 0, 3)), Map.of(), Map.of());
        return defaults.withIssuerTimeoutMs(60_000).withLimits(new LimitsConfig(Map.of(LimitsConfig.DEFAULT_CATEGORY, limits), null));
    }

    @Test
    void aPurchaseReversedByCrashRecoveryNoLongerCountsAgainstTheCardsDailyLimit() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IssuedCard card = card();
        String stan = stan();
        try (var sender = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<IsoMessage> atTheIssuer = heldAtTheIssuer(terminal, card, stan, sender);
            assertThat(cardPurchases(terminal, stan)).as("counted while at the issuer").isEqualTo(1);

            // the node "restarts": its crash recovery reverses what it left SENT
            fixture.startAnotherNode(NODE_ID);
            assertThat(state(terminal, stan)).isIn("REVERSAL_PENDING", "REVERSED");
            assertThat(cardPurchases(terminal, stan)).as("the reversed purchase's count, after recovery").isZero();

            fixture.issuer().releaseAnswers();
            // the first process's late answer finds its record reversed: never an approval
            assertThat(atTheIssuer.join().getString(39)).isNotEqualTo("00");
        }
    }

    /**
     * Regression: recovery gave the held purchase's count back, and then the first process's late
     * answer (a decline: its record was reversed) gave it back a second time, taking one of the
     * card's two real purchases off its count: the card could go one purchase past its daily limit.
     * A share is now recorded under its request's identity and given back once.
     */
    @Test
    void aLateAnswerToAPurchaseRecoveryReversedDoesNotGiveItsCountBackASecondTime() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
        IssuedCard card = card();
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 1_000)).getString(39)).isEqualTo("00");
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), 1_000)).getString(39)).isEqualTo("00");
        String stan = stan();
        try (var sender = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<IsoMessage> atTheIssuer = heldAtTheIssuer(terminal, card, stan, sender);
            assertThat(cardPurchases(terminal, stan)).isEqualTo(3);

            fixture.startAnotherNode(NODE_ID);
            assertThat(cardPurchases(terminal, stan)).as("after recovery: the two approved purchases").isEqualTo(2);

            fixture.issuer().releaseAnswers();
            assertThat(atTheIssuer.join().getString(39)).isNotEqualTo("00");
            assertThat(cardPurchases(terminal, stan)).as("after the late answer: still the two approved purchases").isEqualTo(2);
        }
    }

    /** A purchase of 1,000 sent on {@code sender}, once its record is SENT and the issuer holds its answer. */
    private CompletableFuture<IsoMessage> heldAtTheIssuer(TerminalSide terminal, IssuedCard card, String stan,
                                                          java.util.concurrent.Executor sender) {
        fixture.issuer().holdAnswers();
        CompletableFuture<IsoMessage> atTheIssuer = CompletableFuture.supplyAsync(() -> {
            try {
                return terminal.send(terminal.pinPurchase(card, stan, 1_000));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, sender);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(state(terminal, stan)));
        return atTheIssuer;
    }

    /** The purchases counted today against the card of {@code terminal}'s request {@code stan}. */
    private long cardPurchases(TerminalSide terminal, String stan) throws SQLException {
        return cardPurchases(backend, terminal, stan);
    }

    /** The purchases counted today in {@code backend} against the card of {@code terminal}'s request {@code stan}. */
    static long cardPurchases(JournalBackend backend, TerminalSide terminal, String stan) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT coalesce(sum(txn_count), 0) FROM limit_counter WHERE key_kind = 'CARD' AND transaction_type = 'PURCHASE'"
                        + " AND key_value = (SELECT encode(pan_token, 'hex') FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%')")) {
            s.setString(1, terminal.terminalId());
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private String state(TerminalSide terminal, String stan) throws SQLException {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT state FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%'")) {
            s.setString(1, terminal.terminalId());
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}
