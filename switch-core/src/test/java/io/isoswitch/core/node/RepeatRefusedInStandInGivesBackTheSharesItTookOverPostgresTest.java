package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.standin.StandInConfig;
import io.isoswitch.core.testing.FailingWrites;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The issuer is down and stand-in approves: a purchase's limit shares and allowance are taken, its
 * stand-in write is refused and so is the give-back of its shares (the database away), and its
 * terminal hears 96. The terminal's repeat takes the shares over, is approved in stand-in, and its
 * write is refused too (96): nothing stands, so the card's count must go back to 0 once the database
 * is back.
 */
class RepeatRefusedInStandInGivesBackTheSharesItTookOverPostgresTest extends EndToEndScenarios {
    private static final StandInConfig FIVE_A_DAY = new StandInConfig("approve", 50_000, 5, List.of("purchase", "preauth"), 50, 5, 20, 60_000);

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(RepeatRefusedInStandInGivesBackTheSharesItTookOverPostgresTest.class);
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return OwedReversalAfterKillPostgresTest.onePurchasePerCardWithNetworkTimeout(defaults, 5_000)
                .withConfig(c -> c.withTransactions(c.transactions(), Map.of(SwitchFixture.ISSUER, FIVE_A_DAY)));
    }

    private FailingWrites failing;

    @BeforeEach
    void failingWrites() {
        failing = RepeatDeclinedBeforeAnIssuerGivesBackTheSharesItTookOverPostgresTest.refusingRecords(backend);
    }

    /**
     * Regression: the repeat's stand-in write refused, it gave back only the shares it took itself,
     * never those it took over (not its own: no record of its own known): the card counted a purchase
     * that never stood for the rest of the day.
     */
    @Test
    void theCardCountsNothingOnceTheRepeatWhoseStandInWriteWasRefusedIsPastAndTheDatabaseIsBack() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        fixture.issuer().stop();
        fixture.awaitIssuerLink(false);
        IsoMessage purchase = terminal.requests().purchase(SwitchFixture.read(card()), null, stan(), 1_000);

        assertThat(RepeatDeclinedBeforeAnIssuerGivesBackTheSharesItTookOverPostgresTest.repeatAfterA96(backend, failing, terminal,
                purchase, true)).as("the repeat, its stand-in write refused too").isEqualTo("96");
        backend.execute("DELETE FROM failing_records");
        failing.recover();
        RepeatDeclinedBeforeAnIssuerGivesBackTheSharesItTookOverPostgresTest.awaitNothingCounted(backend);
    }
}
