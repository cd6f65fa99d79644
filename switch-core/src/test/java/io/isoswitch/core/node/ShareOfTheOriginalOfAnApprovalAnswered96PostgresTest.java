package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.FailingWrites;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Node 1's write of an issuer's approval of a refund (or of a pre-authorization's completion) is in
 * doubt (its commit held past the journal's network timeout): its terminal hears 96, and the refund
 * is owed its reversal. The commit goes through, and the terminal's repeat reaches node 2, which
 * answers it 00 from the record before node 1 is through with its 96 (node 1's give-back of what
 * the request took, if it makes one, is held meanwhile, and its database refuses its owed reversal
 * until then). The refund stands: its purchase must count it as refunded, so that it cannot be
 * refunded in full a second time (and a completion that stands leaves its pre-authorization
 * completed once).
 */
class ShareOfTheOriginalOfAnApprovalAnswered96PostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 5_000;
    private static final long AMOUNT = 2_500;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(ShareOfTheOriginalOfAnApprovalAnswered96PostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return OwedReversalAfterKillPostgresTest.onePurchasePerCardWithNetworkTimeout(defaults, NETWORK_TIMEOUT_MS);
    }

    /**
     * Regression: node 1's 96 kept the refund's daily shares for the journal to decide, but gave its
     * share of the purchase back at once; node 2's repeat found that share still held and took
     * nothing, so the purchase counted nothing refunded and was refunded in full a second time.
     */
    @Test
    void aRefundThatStandsAfterA96KeepsItsShareOfThePurchase() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        String purchaseStan = stan();
        String rrn = approvedPurchase(terminal, card, purchaseStan);
        String refundStan = stan();

        RepeatAtAnotherNodeAfterA96.run(fixture, backend, TerminalDialect.ISO87_BINARY, terminal, refundStan,
                terminal.requests().refund(SwitchFixture.read(card), refundStan, AMOUNT, rrn), "node-2");

        assertThat(countedOf(terminal.terminalId(), purchaseStan)).as("the purchase's refunds that stand: count / amount")
                .isEqualTo("1 / " + AMOUNT);
        assertThat(terminal.send(terminal.requests().refund(SwitchFixture.read(card), stan(), AMOUNT, rrn)).getString(39))
                .as("a second refund of all of the purchase").isEqualTo("13");
    }

    /**
     * A refund answered 96 on one node (its outcome write refused, the database out) keeps its share
     * of its purchase until its owed reversal is settled: reversed, the share is given back then, and
     * the purchase can be refunded in full.
     */
    @Test
    void aRefundAnswered96AndReversedGivesItsShareOfThePurchaseBack() throws Exception {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 2);
        String purchaseStan = stan();
        String rrn = approvedPurchase(terminal, card, purchaseStan);
        String refundStan = stan();
        FailingWrites failing = FailingWrites.install(backend);
        failing.fail(terminal.terminalId(), refundStan);

        assertThat(terminal.send(terminal.requests().refund(SwitchFixture.read(card), refundStan, AMOUNT, rrn)).getString(39))
                .as("the refund, its outcome write refused").isEqualTo("96");
        assertThat(countedOf(terminal.terminalId(), purchaseStan)).as("kept until the journal decides").isEqualTo("1 / " + AMOUNT);
        failing.recover();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(countedOf(terminal.terminalId(), purchaseStan))
                .as("the purchase's refunds that stand").isEqualTo("0 / 0"));
        assertThat(fixture.journal().find(terminal.terminalId(), refundStan).map(JournalRows.Row::state).orElse(""))
                .isIn("REVERSAL_PENDING", "REVERSED");
        assertThat(terminal.send(terminal.requests().refund(SwitchFixture.read(card), stan(), AMOUNT, rrn)).getString(39))
                .as("a refund of all of the purchase").isEqualTo("00");
    }

    /** The same for a completion's share of its pre-authorization (one completion each). */
    @Test
    void aCompletionThatStandsAfterA96KeepsItsShareOfThePreAuthorization() throws Exception {
        IssuedCard card = card();
        CupPreAuthorization preAuth = CupPreAuthorization.approved(fixture, card, stan(), AMOUNT);
        TerminalSide terminal = preAuth.terminal();
        String completionStan = stan();

        RepeatAtAnotherNodeAfterA96.run(fixture, backend, TerminalDialect.CUP_POS, terminal, completionStan,
                preAuth.completion(completionStan, AMOUNT), "node-3");

        assertThat(countedOf(terminal.terminalId(), preAuth.stan())).as("the pre-authorization's completions that stand: count / amount")
                .isEqualTo("1 / " + AMOUNT);
        assertThat(terminal.send(preAuth.completion(stan(), AMOUNT)).getString(39)).as("a second completion").isEqualTo("94");
    }

    /** A purchase of {@code AMOUNT} on {@code card} under {@code stan}, answered 00: its RRN. */
    private static String approvedPurchase(TerminalSide terminal, IssuedCard card, String stan) throws IOException {
        IsoMessage purchase = terminal.send(terminal.pinPurchase(card, stan, AMOUNT));
        assertThat(purchase.getString(39)).isEqualTo("00");
        return purchase.getString(37).trim();
    }

    /** "count / amount" of what is refunded or completed of the original {@code terminalId} made under {@code stan}. */
    private String countedOf(String terminalId, String stan) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(txn_count), 0),"
                + " COALESCE(SUM(amount_minor), 0) FROM limit_counter WHERE key_kind = 'ORIGINAL' AND key_value ="
                + " (SELECT CAST(id AS VARCHAR) FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%')")) {
            s.setString(1, terminalId);
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) + " / " + r.getLong(2);
            }
        }
    }
}
