package io.isoswitch.core.node;

import static io.isoswitch.core.testing.TerminalRequests.reversalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
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
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * An approval is reversed while the database fails every give-back of the purchase's limit counts:
 * once the database is back, the card must count nothing for the purchase (the counts follow the
 * journal), and its next purchase is approved under a limit of one purchase a day.
 */
class CountsOfAReversedApprovalFollowTheJournalPostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 1_500;
    private static final long AMOUNT = 2_500;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(CountsOfAReversedApprovalFollowTheJournalPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return OwedReversalAfterKillPostgresTest.onePurchasePerCardWithNetworkTimeout(defaults, NETWORK_TIMEOUT_MS);
    }

    /**
     * Node 1's write of an issuer approval is in doubt (its commit held past the journal's network
     * timeout), so its terminal hears 96 and the approval is owed its reversal.
     *
     * <p>Regression: the 96's give-back of the counts failed with the database and nothing tried it
     * again, so the card's count stayed taken for the day by a purchase that was reversed, and its
     * next purchase was refused 65.
     */
    @Test
    void theCountsOfAReversed96AreGivenBackAfterTheDatabaseFailedTheirGiveBack() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        OwedReversalAfterKillPostgresTest.holdApprovalCommit(backend, terminal.terminalId(), stan, lockKey);
        refuseGiveBacksOf(terminal.terminalId(), stan);
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            assertThat(terminal.send(terminal.pinPurchase(card, stan, AMOUNT)).getString(39)).isEqualTo("96");
            assertThat(purchasesCounted(terminal.terminalId(), stan)).as("not given back yet").isEqualTo(1);
            // the database back: the commit node 1 gave up goes through, and give-backs work again
            backend.execute("DROP TRIGGER refuse_give_back ON limit_contribution");
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        } finally {
            backend.execute("DROP TRIGGER IF EXISTS hold_approval ON journal");
        }
        countsNothingOnceReversed(terminal, card, stan);
    }

    /**
     * The terminal reverses an approval it heard (00) and hears 00 for the reversal, but the
     * give-back of the purchase's counts fails; then it sends the purchase again. Regression: nothing
     * tried the give-back again, so the card counted a reversed purchase for the rest of the day (a
     * chaos run's card counters stood 1 to 4 above the purchases that stand) and its next purchase
     * was refused 65; and given back by the request's identity, the share the resend took over
     * (newer than the failure) was left as the resend's.
     */
    @Test
    void theCountsOfAnApprovalItsTerminalReversedAreGivenBackAfterTheDatabaseFailedTheirGiveBack() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage purchase = terminal.pinPurchase(card, stan, AMOUNT);
        assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
        refuseGiveBacksOf(terminal.terminalId(), stan);
        try {
            assertThat(terminal.send(reversalOf(purchase, stan())).getString(39)).as("the reversal").isEqualTo("00");
            assertThat(purchasesCounted(terminal.terminalId(), stan)).as("not given back yet").isEqualTo(1);
            // sent again, the purchase takes its share over (as a resend does) and is answered from its reversed record
            assertThat(terminal.send(purchase).getString(39)).as("the purchase sent again").isEqualTo("96");
        } finally {
            backend.execute("DROP TRIGGER refuse_give_back ON limit_contribution");
        }
        countsNothingOnceReversed(terminal, card, stan);
    }

    /**
     * The terminal reverses an approval, and the reversal's move of it is in doubt (its commit held
     * past the journal's network timeout, then let through): the terminal hears 96 and does not
     * send the reversal again. Regression: nothing gave the purchase's counts back, since only a
     * move known to have applied does, so the card counted a reversed purchase for the day.
     */
    @Test
    void theCountsOfAnApprovalWhoseReversalsMoveWasInDoubtFollowTheJournal() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage purchase = terminal.pinPurchase(card, stan, AMOUNT);
        assertThat(terminal.send(purchase).getString(39)).isEqualTo("00");
        OwedReversalAfterKillPostgresTest.holdMoveCommit(backend, "hold_reversal", "APPROVED", "REVERSAL_PENDING",
                terminal.terminalId(), stan, lockKey);
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            assertThat(terminal.send(reversalOf(purchase, stan())).getString(39)).as("the reversal, its move in doubt")
                    .isEqualTo("96");
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        } finally {
            backend.execute("DROP TRIGGER IF EXISTS hold_reversal ON journal");
        }
        countsNothingOnceReversed(terminal, card, stan);
    }

    /**
     * Once {@code terminal}'s purchase {@code stan} reads reversed, its card counts nothing for it,
     * and the card's next purchase is approved under the limit of one a day.
     */
    private void countsNothingOnceReversed(TerminalSide terminal, IssuedCard card, String stan) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> Set.of("REVERSAL_PENDING", "REVERSED")
                .contains(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state).orElse("")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(purchasesCounted(terminal.terminalId(), stan))
                .as("the card's purchases that stand").isZero());
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), AMOUNT)).getString(39))
                .as("the card's first purchase of the day that stands").isEqualTo("00");
    }

    /** The database refuses to give the counts of {@code terminalId}'s request {@code stan} back, as it would while it is out. */
    private void refuseGiveBacksOf(String terminalId, String stan) throws SQLException {
        backend.execute("CREATE OR REPLACE FUNCTION refuse_give_back() RETURNS trigger AS $$ BEGIN "
                + "IF OLD.contributor LIKE '" + terminalId + "|" + stan + "|%' THEN RAISE EXCEPTION 'database out'; END IF; "
                + "RETURN OLD; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER refuse_give_back BEFORE DELETE ON limit_contribution FOR EACH ROW EXECUTE FUNCTION refuse_give_back()");
    }

    /** The purchase count of the day of the card of {@code terminalId}'s record under {@code stan}. */
    private long purchasesCounted(String terminalId, String stan) throws SQLException {
        try (Connection c = backend.connect(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(txn_count), 0)"
                + " FROM limit_counter WHERE key_kind = 'CARD' AND transaction_type = 'PURCHASE' AND key_value ="
                + " (SELECT encode(pan_token, 'hex') FROM journal WHERE terminal_id = ? AND stan = ? AND mti_class NOT LIKE '9%')")) {
            s.setString(1, terminalId);
            s.setString(2, stan);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
