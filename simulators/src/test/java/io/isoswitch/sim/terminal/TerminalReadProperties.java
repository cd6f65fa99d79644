package io.isoswitch.sim.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The terminal simulator's read path fuzzed: a switch that answers every financial request with
 * its answer's bytes damaged. Whatever arrives, each operation ends with a result (never an
 * exception), the terminal reverses what it cannot trust, and once the line is clean again and
 * its reversals are delivered, the terminal's batch totals and the switch's books agree.
 */
class TerminalReadProperties {
    private static final int OPERATIONS = 60;

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void damagedAnswersEndEachOperationWithAResultAndTheBooksAgreeOnceReversed(TerminalDialect dialect) {
        PosTerminalTest fixture = new PosTerminalTest();
        try (ScriptedSwitch peer = fixture.scriptedSwitch(dialect);
                PosTerminal terminal = fixture.terminal(dialect, peer, Duration.ofMillis(100))) {
            assertThat(onACleanLine(terminal::signOn).responseCode()).isEqualTo("00");
            SplittableRandom random = new SplittableRandom(dialect.ordinal() + 4_242);
            peer.damageAnswers = random;
            for (int i = 0; i < OPERATIONS; i++) {
                long amount = 100 + i;
                TerminalResult result = switch (i % 3) {
                    case 0 -> terminal.purchase(PosTerminalTest.CARD, amount);
                    case 1 -> terminal.balanceInquiry(PosTerminalTest.CARD);
                    default -> terminal.refund(PosTerminalTest.CARD.withPin(""), amount);
                };
                assertThat(result).isNotNull();
                if (!terminal.connected()) {
                    terminal.reconnect();
                }
            }

            peer.damageAnswers = null;
            while (terminal.retryPendingReversals() > 0) {
                // the line is clean now: every reversal and advice goes through
            }
            CurrencyTotals totals = terminal.batchTotals().totals(978);
            assertThat(totals.debitAmountMinor() - totals.creditAmountMinor()).isEqualTo(peer.hostDebits.get());
            assertThat(onACleanLine(terminal::echo).responseCode()).isEqualTo("00");
        }
    }

    /**
     * A step on a clean line, sent again when it got no answer within the short timeout the damaged
     * phase needs (a loaded CI machine can take longer than 100 ms); the terminal skips a late answer.
     */
    private static TerminalResult onACleanLine(Supplier<TerminalResult> step) {
        TerminalResult result = step.get();
        for (int tries = 1; result.outcome() == TerminalResult.Outcome.NO_ANSWER && tries < 20; tries++) {
            result = step.get();
        }
        return result;
    }
}
