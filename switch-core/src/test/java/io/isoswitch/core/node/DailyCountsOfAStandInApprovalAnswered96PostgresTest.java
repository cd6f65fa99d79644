package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.standin.StandInConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stand-in approval (operations forced the issuer into stand-in) whose write is in doubt: node 1
 * answers 96 and owes its reversal advice; the record commits all the same, and the terminal's
 * repeat reaches node 2, which answers it 00 from the record, before node 1 is through with its 96.
 * The approval stands: the card must count it, with a daily limit of one purchase (and a stand-in
 * allowance of five).
 */
class DailyCountsOfAStandInApprovalAnswered96PostgresTest extends EndToEndScenarios {
    private static final long NETWORK_TIMEOUT_MS = 5_000;
    private static final long AMOUNT = 700;
    private static final StandInConfig FIVE_A_DAY = new StandInConfig("approve", 50_000, 5, List.of("purchase", "preauth"), 50, 5, 20, 60_000);

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(DailyCountsOfAStandInApprovalAnswered96PostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        // the limits of the one, the configuration change (which replaces the one's) with stand-in added
        return OwedReversalAfterKillPostgresTest.onePurchasePerCardWithNetworkTimeout(defaults, NETWORK_TIMEOUT_MS)
                .withConfig(c -> OwedReversalAfterKillPostgresTest.withNetworkTimeout(c, NETWORK_TIMEOUT_MS)
                        .withTransactions(c.transactions(), Map.of(SwitchFixture.ISSUER, FIVE_A_DAY)));
    }

    /**
     * Regression: the 96 of a stand-in approval in doubt kept its allowance for the journal to
     * decide, but gave its daily limit shares back at once; node 2's repeat found them still held and
     * took nothing, and the card counted nothing for a purchase that stands (its next purchase
     * approved past its limit of one a day).
     */
    @Test
    void theStandInApprovalARepeatAtAnotherNodeWasToldStandsKeepsItsDailyCounts() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        // node 1 follows the flag within its refresh: a probe of another card (a pre-authorization,
        // which the daily limit of one purchase does not count) is approved in stand-in
        IssuedCard probe = card();
        ForcedStandIn.force(fixture, backend, terminal, this::stan,
                probeStan -> terminal.requests().preAuthorization(SwitchFixture.read(probe), null, probeStan, AMOUNT));
        IssuedCard card = card();
        String stan = stan();

        RepeatAtAnotherNodeAfterA96.run(fixture, backend, TerminalDialect.ISO87_BINARY, terminal, stan, noPin(terminal, card, stan),
                "node-2", "STAND_IN_APPROVED");

        assertThat(purchasesCounted(terminal.terminalId(), stan)).as("the approval that stands, counted once").isEqualTo(1);
        assertThat(terminal.send(noPin(terminal, card, stan())).getString(39)).as("the card's second purchase of the day")
                .isEqualTo("65");
    }

    private static IsoMessage noPin(TerminalSide terminal, IssuedCard card, String stan) {
        return terminal.requests().purchase(SwitchFixture.read(card), null, stan, AMOUNT);
    }

    /** The purchase count of the day of the card of {@code terminalId}'s record under {@code stan}. */
    private long purchasesCounted(String terminalId, String stan) throws SQLException {
        return ForcedStandIn.cardCount(backend, "PURCHASE", terminalId, stan);
    }
}
