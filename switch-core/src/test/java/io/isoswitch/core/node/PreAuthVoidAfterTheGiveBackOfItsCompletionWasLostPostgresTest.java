package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerAudit;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.JournalRows;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A UnionPay completion takes its share of the pre-authorization's completion counter, and is then
 * undone: the issuer's answer names another amount, so it is taken as no answer and reversed, and
 * its terminal hears 91. Giving its share back fails (as it does while the database is away, and
 * give-backs are not retried). The terminal, told the completion failed, voids the
 * pre-authorization once the completion is reversed: the void must go through and release the
 * hold, the journal showing that nothing completed it.
 *
 * <p>The lost give-back: a trigger of the test's refuses to delete any share of an original while
 * the completion is answered, and is dropped before the void; a journal record refused, another.
 */
class PreAuthVoidAfterTheGiveBackOfItsCompletionWasLostPostgresTest extends EndToEndScenarios {
    private static final long HELD = 7_000;
    private static final long COMPLETED = 5_000;
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;

    @Override
    JournalBackend backend() {
        return JournalBackend.postgres(PreAuthVoidAfterTheGiveBackOfItsCompletionWasLostPostgresTest.class);
    }

    /**
     * Regression: the completion's share stayed on the pre-authorization's counter, so the void's
     * claim of it was refused and the void answered 12, recorded, for good: the issuer kept the
     * hold of a pre-authorization its terminal was told neither completed nor voidable
     * (DatabaseOutageChaosTest's "completion 96, void 12"). Now a void refused so gives back the
     * shares of what the journal shows undone and claims again.
     */
    @Test
    void aVoidGoesThroughWhenTheCompletionIsReversedThoughItsShareWasNeverGivenBack() throws Exception {
        IssuedCard card = card();
        CupPreAuthorization preAuth = CupPreAuthorization.approved(fixture, card, stan(), HELD);
        TerminalSide terminal = preAuth.terminal();

        refuseGiveBacks();
        fixture.issuer().rewriteAnswers(answer -> {
            if (answer.mti().startsWith("02")) {
                answer.set(4, "000000004999");
            }
            return answer;
        });
        String completionStan = stan();
        try {
            assertThat(terminal.send(preAuth.completion(completionStan, COMPLETED)).getString(39)).as("the completion").isEqualTo("91");
            fixture.issuer().rewriteAnswers(UnaryOperator.identity());
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.journal().find(terminal.terminalId(), completionStan)
                    .map(JournalRows.Row::state).orElse("").equals("REVERSED"));
            // the void's own give-back of that share fails too: not now (96), where it was refused 12 for good
            assertThat(terminal.send(preAuth.voidOf(stan())).getString(39)).as("the void while give-backs fail").isEqualTo("96");
        } finally {
            fixture.issuer().rewriteAnswers(UnaryOperator.identity());
            backend.execute("DROP TRIGGER refuse_give_back ON limit_contribution");
        }

        assertThat(terminal.send(preAuth.voidOf(stan())).getString(39)).as("the void once the completion is reversed").isEqualTo("00");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(fixture.issuer().balance(card)).as("nothing captured").isEqualTo(OPENING);
            assertThat(fixture.issuer().available(card)).as("nothing held").isEqualTo(OPENING);
        });
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /**
     * As above, with a completion the journal never recorded: its write-ahead record was refused
     * (the database away), so it never went to the issuer and its terminal heard 96, and the give-back
     * of the share it had taken failed too. Regression: nothing in the journal named that share, and
     * the void was 12 for good (the one cause DatabaseOutageChaosTest still showed). Now the void
     * takes the completion's journal key, so that it can never be recorded, gives its share back and
     * goes through; the completion sent again is a repeat of another transaction, 94.
     */
    @Test
    void aVoidGoesThroughWhenTheCompletionWasNeverJournaledAndItsShareNeverGivenBack() throws Exception {
        IssuedCard card = card();
        CupPreAuthorization preAuth = CupPreAuthorization.approved(fixture, card, stan(), HELD);
        TerminalSide terminal = preAuth.terminal();

        String completionStan = stan();
        backend.execute("CREATE FUNCTION refuse_record() RETURNS trigger AS $$ BEGIN IF NEW.terminal_id = '" + terminal.terminalId()
                + "' AND NEW.stan = '" + completionStan + "' THEN RAISE EXCEPTION 'database away'; END IF; RETURN NEW; END $$"
                + " LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER refuse_record BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION refuse_record()");
        refuseGiveBacks();
        IsoMessage completion = preAuth.completion(completionStan, COMPLETED);
        IsoMessage voidOf = preAuth.voidOf(stan());
        try {
            assertThat(terminal.send(completion).getString(39)).as("the completion").isEqualTo("96");
            backend.execute("DROP TRIGGER refuse_record ON journal");
            assertThat(fixture.journal().find(terminal.terminalId(), completionStan)).as("the completion's record").isEmpty();
            // the void takes the completion's key, and the give-back of its share fails: not now (96)
            assertThat(terminal.send(voidOf).getString(39)).as("the void while give-backs fail").isEqualTo("96");
        } finally {
            backend.execute("DROP TRIGGER refuse_give_back ON limit_contribution");
            backend.execute("DROP TRIGGER IF EXISTS refuse_record ON journal");
        }

        // sent again, it finds the completion's key taken by its first attempt, and gives that share back
        // now (it was refused 12 for good: only a record it had just written gave back)
        assertThat(terminal.send(voidOf).getString(39)).as("the void sent again").isEqualTo("00");
        assertThat(terminal.send(completion).getString(39)).as("the completion sent again").isEqualTo("94");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(fixture.issuer().balance(card)).as("nothing captured").isEqualTo(OPENING);
            assertThat(fixture.issuer().available(card)).as("nothing held").isEqualTo(OPENING);
        });
        assertThat(IssuerAudit.differences(fixture, dir)).isEmpty();
    }

    /** Until dropped, every give-back of a share of an original fails (function created once per schema). */
    private void refuseGiveBacks() {
        backend.execute("CREATE OR REPLACE FUNCTION refuse_give_back() RETURNS trigger AS $$ BEGIN "
                + "IF OLD.key_kind = 'ORIGINAL' THEN RAISE EXCEPTION 'give-back lost'; END IF; RETURN OLD; END $$ LANGUAGE plpgsql");
        backend.execute("CREATE TRIGGER refuse_give_back BEFORE DELETE ON limit_contribution FOR EACH ROW "
                + "EXECUTE FUNCTION refuse_give_back()");
    }
}
