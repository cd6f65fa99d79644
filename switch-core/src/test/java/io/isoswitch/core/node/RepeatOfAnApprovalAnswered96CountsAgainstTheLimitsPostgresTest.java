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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The scenario of {@link RepeatAtAnotherNodeOfAnApprovalAnswered96PostgresTest} (node 1's write of
 * an issuer approval in doubt, its terminal told 96, the repeat answered 00 by node 2 from the
 * record, node 1 killed and restarted) with a daily limit of one purchase per card: what the card
 * counts must follow what stands, whichever node decided it.
 */
class RepeatOfAnApprovalAnswered96CountsAgainstTheLimitsPostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 1_500;
    private static final long AMOUNT = 2_500;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(RepeatOfAnApprovalAnswered96CountsAgainstTheLimitsPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return OwedReversalAfterKillPostgresTest.onePurchasePerCardWithNetworkTimeout(defaults, NETWORK_TIMEOUT_MS);
    }

    /**
     * Regression: the 96 gave the purchase's count back, and the repeat that node 2 told it stands
     * did not take it again: the card's count read 0 for an approval that stood, and the card's
     * next purchase was approved past its limit of one a day. Now a repeat told an approval stands
     * takes its counts again (once: they are held under the request's identity).
     */
    @Test
    void aRepeatToldTheApprovalStandsCountsItAndTheCardStopsAtItsDailyLimit() throws Exception {
        IssuedCard card = card();
        String stan = stan();
        long lockKey = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IsoMessage purchase = terminal.pinPurchase(card, stan, AMOUNT);
        OwedReversalAfterKillPostgresTest.holdApprovalCommit(backend, terminal.terminalId(), stan, lockKey);
        try (Connection lockHolder = backend.connect(); Statement s = lockHolder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            assertThat(terminal.send(purchase).getString(39)).isEqualTo("96");
            fixture.node().close();
            s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), stan)
                .map(JournalRows.Row::state).orElse("").equals("APPROVED"));
        backend.execute("DROP TRIGGER hold_approval ON journal");
        assertThat(purchasesCounted()).as("the 96 left the purchase's count to the journal").isEqualTo(1);

        SwitchNode other = fixture.startAnotherNode("node-2");
        try (TerminalSide atOther = new TerminalSide(TerminalDialect.ISO87_BINARY,
                other.terminalPorts().get(TerminalDialect.ISO87_BINARY.ordinal()), fixture.hsm(), fixture.tmk(), terminal.terminalId())) {
            assertThat(atOther.signOn("000001")).isEqualTo("00");
            assertThat(atOther.send(purchase).getString(39)).as("the repeat, answered from the approved record").isEqualTo("00");
            assertThat(purchasesCounted()).as("the approval the repeat was told stands").isEqualTo(1);
            assertThat(atOther.send(atOther.pinPurchase(card, stan(), AMOUNT)).getString(39))
                    .as("the card's second purchase of the day").isEqualTo("65");
        }

        // node 1 back: its owed reversal finds the approval told to a repeat, and leaves it and its count
        fixture.startAnotherNode("node-1");
        Path owedFile = fixture.node().config().journal().owedReversalsFile("node-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(owedFile).contains("settled "));
        assertThat(fixture.journal().find(terminal.terminalId(), stan).map(JournalRows.Row::state)).contains("APPROVED");
        assertThat(purchasesCounted()).as("counted once").isEqualTo(1);
    }

    /** The card purchase count of the day (the class's only card counter of type PURCHASE). */
    private long purchasesCounted() throws SQLException {
        try (Connection c = backend.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COALESCE(SUM(txn_count), 0) FROM limit_counter"
                     + " WHERE key_kind = 'CARD' AND transaction_type = 'PURCHASE'")) {
            r.next();
            return r.getLong(1);
        }
    }
}
