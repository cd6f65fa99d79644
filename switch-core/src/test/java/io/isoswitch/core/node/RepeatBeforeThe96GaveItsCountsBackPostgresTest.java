package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
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
 * Node 1's write of an issuer approval is in doubt (its commit held past the journal's network
 * timeout): its terminal hears 96. The commit goes through, and the terminal's repeat reaches node 2,
 * which answers it 00 from the record, before node 1 is through with its 96 (node 1's give-back of
 * the purchase's limit counts, if it makes one, is held meanwhile, and its database refuses its owed
 * reversal until then). The approval stands: the card
 * must count it, with a daily limit of one purchase.
 */
class RepeatBeforeThe96GaveItsCountsBackPostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 5_000;
    private static final long AMOUNT = 2_500;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(RepeatBeforeThe96GaveItsCountsBackPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return OwedReversalAfterKillPostgresTest.onePurchasePerCardWithNetworkTimeout(defaults, NETWORK_TIMEOUT_MS);
    }

    /**
     * Regression: node 2's repeat found the counts still held under the request's identity and took
     * nothing; node 1's give-back for its 96 then removed them, and the card counted nothing for an
     * approval that stood (its next purchase approved past its limit of one a day).
     */
    @Test
    void theApprovalARepeatAtAnotherNodeWasToldStandsKeepsItsCounts() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        long commitLock = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        long giveBackLock = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage purchase = terminal.pinPurchase(card, stan, AMOUNT);
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
        SwitchNode other = fixture.startAnotherNode("node-2");
        CompletableFuture<String> first;
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement();
             TerminalSide atOther = new TerminalSide(TerminalDialect.ISO87_BINARY,
                     other.terminalPorts().get(TerminalDialect.ISO87_BINARY.ordinal()), fixture.hsm(), fixture.tmk(),
                     terminal.terminalId())) {
            assertThat(atOther.signOn("000001")).isEqualTo("00");
            s.execute("SELECT pg_advisory_lock(" + commitLock + "), pg_advisory_lock(" + giveBackLock + ")");
            first = CompletableFuture.supplyAsync(() -> {
                try {
                    return terminal.send(purchase).getString(39);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // node 1 gave its commit up: it answered 96, or is giving the counts back (held; within its
            // network timeout, which is what the steps up to the repeat's answer must take)
            await().atMost(Duration.ofSeconds(30)).until(() -> first.isDone() || waitsFor(giveBackLock));
            s.execute("SELECT pg_advisory_unlock(" + commitLock + ")");
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                    .map(JournalRows.Row::state).orElse("").equals("APPROVED"));
            assertThat(atOther.send(purchase).getString(39)).as("the repeat, answered from the approved record").isEqualTo("00");
            s.execute("SELECT pg_advisory_unlock(" + giveBackLock + ")");
        } finally {
            backend.execute("DROP TRIGGER IF EXISTS hold_approval ON journal");
            backend.execute("DROP TRIGGER IF EXISTS hold_give_back ON limit_contribution");
            backend.execute("DROP TRIGGER IF EXISTS refuse_reversal ON journal");
        }
        assertThat(first.get(30, TimeUnit.SECONDS)).as("node 1's answer").isEqualTo("96");
        // node 1's owed reversal finds the approval told to a repeat: it stands, with its counts
        Path owedFile = fixture.node().config().journal().owedReversalsFile("node-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(owedFile).contains("settled "));
        assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("APPROVED");
        assertThat(purchasesCounted(terminal.terminalId(), stan)).as("the approval that stands, counted once").isEqualTo(1);
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), AMOUNT)).getString(39))
                .as("the card's second purchase of the day").isEqualTo("65");
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

    /** The purchase count of the day of the card of {@code terminalId}'s record under {@code stan}. */
    private long purchasesCounted(String terminalId, String stan) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(txn_count), 0)"
                + " FROM limit_counter WHERE key_kind = 'CARD' AND transaction_type = 'PURCHASE' AND key_value ="
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
