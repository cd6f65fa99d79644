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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
        IsoMessage purchase = terminal.send(terminal.pinPurchase(card, purchaseStan, AMOUNT));
        assertThat(purchase.getString(39)).isEqualTo("00");
        String rrn = purchase.getString(37).trim();
        String refundStan = stan();

        repeatedAtAnotherNodeAfterA96(TerminalDialect.ISO87_BINARY, terminal, refundStan,
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
        IsoMessage purchase = terminal.send(terminal.pinPurchase(card, purchaseStan, AMOUNT));
        assertThat(purchase.getString(39)).isEqualTo("00");
        String rrn = purchase.getString(37).trim();
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
        TerminalSide terminal = fixture.signedOn(TerminalDialect.CUP_POS, 1);
        String preAuthStan = stan();
        IsoMessage preAuth = terminal.send(terminal.requests().preAuthorization(SwitchFixture.read(card),
                terminal.pinBlock(card.pin(), card.account().pan()), preAuthStan, AMOUNT));
        assertThat(preAuth.getString(39)).isEqualTo("00");
        String completionStan = stan();

        repeatedAtAnotherNodeAfterA96(TerminalDialect.CUP_POS, terminal, completionStan, terminal.requests().completion(
                SwitchFixture.read(card), completionStan, AMOUNT, preAuth.getString(37), preAuth.getString(38), preAuthStan), "node-3");

        assertThat(countedOf(terminal.terminalId(), preAuthStan)).as("the pre-authorization's completions that stand: count / amount")
                .isEqualTo("1 / " + AMOUNT);
        assertThat(terminal.send(terminal.requests().completion(SwitchFixture.read(card), stan(), AMOUNT, preAuth.getString(37),
                preAuth.getString(38), preAuthStan)).getString(39)).as("a second completion").isEqualTo("94");
    }

    /**
     * {@code request} answered 96 at node 1 (its approval's commit held past the network timeout),
     * then its repeat answered 00 at node {@code otherNode} from the record the commit made, while
     * node 1's give-back of what the request took (if any) and its owed reversal wait; then node 1
     * settles the reversal owed.
     */
    private void repeatedAtAnotherNodeAfterA96(TerminalDialect dialect, TerminalSide terminal, String stan, IsoMessage request,
                                               String otherNode) throws Exception {
        long commitLock = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        long giveBackLock = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        OwedReversalAfterKillPostgresTest.holdApprovalCommit(backend, terminal.terminalId(), stan, commitLock);
        backend.execute("CREATE FUNCTION hold_give_back() RETURNS trigger AS $$ BEGIN "
                + "IF OLD.contributor LIKE '" + terminal.terminalId() + "|" + stan + "|%' THEN "
                + "PERFORM pg_advisory_xact_lock_shared(" + giveBackLock + "); END IF; RETURN OLD; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER hold_give_back BEFORE DELETE ON limit_contribution FOR EACH ROW EXECUTE FUNCTION hold_give_back()");
        // node 1's database refuses its owed reversal until the repeat is answered (node 1 slow to reach it)
        backend.execute("CREATE FUNCTION refuse_reversal() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.state = 'REVERSAL_PENDING' AND NEW.terminal_id = '" + terminal.terminalId() + "' AND NEW.stan = '" + stan
                + "' THEN RAISE EXCEPTION 'database out'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER refuse_reversal BEFORE UPDATE ON journal FOR EACH ROW EXECUTE FUNCTION refuse_reversal()");
        SwitchNode other = fixture.startAnotherNode(otherNode);
        CompletableFuture<String> first;
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement();
             TerminalSide atOther = new TerminalSide(dialect, other.terminalPorts().get(dialect.ordinal()), fixture.hsm(), fixture.tmk(),
                     terminal.terminalId())) {
            assertThat(atOther.signOn("000001")).isEqualTo("00");
            s.execute("SELECT pg_advisory_lock(" + commitLock + "), pg_advisory_lock(" + giveBackLock + ")");
            first = CompletableFuture.supplyAsync(() -> {
                try {
                    return terminal.send(request).getString(39);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> first.isDone() || waitsFor(giveBackLock));
            s.execute("SELECT pg_advisory_unlock(" + commitLock + ")");
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                    .map(JournalRows.Row::state).orElse("").equals("APPROVED"));
            assertThat(atOther.send(request).getString(39)).as("the repeat, answered from the approved record").isEqualTo("00");
            s.execute("SELECT pg_advisory_unlock(" + giveBackLock + ")");
        } finally {
            backend.execute("DROP TRIGGER IF EXISTS hold_approval ON journal");
            backend.execute("DROP FUNCTION IF EXISTS hold_approval()");
            backend.execute("DROP TRIGGER IF EXISTS hold_give_back ON limit_contribution");
            backend.execute("DROP FUNCTION IF EXISTS hold_give_back()");
            backend.execute("DROP TRIGGER IF EXISTS refuse_reversal ON journal");
            backend.execute("DROP FUNCTION IF EXISTS refuse_reversal()");
        }
        assertThat(first.get(30, TimeUnit.SECONDS)).as("node 1's answer").isEqualTo("96");
        // node 1's owed reversal finds the approval told to a repeat: it stands, with its shares
        Path owedFile = fixture.node().config().journal().owedReversalsFile("node-1");
        String settled = "settled " + idOf(terminal.terminalId(), stan);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(owedFile).contains(settled));
        assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("APPROVED");
    }

    /** Whether a session waits for advisory lock {@code key} (a 32-bit key: its objid). */
    private boolean waitsFor(long key) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = ?")) {
            s.setLong(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    private String idOf(String terminalId, String stan) throws SQLException {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT id FROM journal WHERE terminal_id = ? AND stan = ?")) {
            s.setString(1, terminalId);
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    /** "count / amount" of what is refunded or completed of the original {@code terminalId} made under {@code stan}. */
    private String countedOf(String terminalId, String stan) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(txn_count), 0),"
                + " COALESCE(SUM(amount_minor), 0) FROM limit_counter WHERE key_kind = 'ORIGINAL' AND key_value ="
                + " (SELECT CAST(id AS VARCHAR) FROM journal WHERE terminal_id = ? AND stan = ?)")) {
            s.setString(1, terminalId);
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) + " / " + r.getLong(2);
            }
        }
    }
}
