package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        RepeatAtAnotherNodeAfterA96.run(fixture, backend, TerminalDialect.ISO87_BINARY, terminal, stan,
                terminal.pinPurchase(card, stan, AMOUNT), "node-2");
        assertThat(purchasesCounted(terminal.terminalId(), stan)).as("the approval that stands, counted once").isEqualTo(1);
        assertThat(terminal.send(terminal.pinPurchase(card, stan(), AMOUNT)).getString(39))
                .as("the card's second purchase of the day").isEqualTo("65");
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
