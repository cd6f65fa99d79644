package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.limits.CounterIncrement;
import io.isoswitch.settlement.limits.CounterKey;
import io.isoswitch.settlement.limits.CounterKind;
import io.isoswitch.settlement.limits.CounterLimit;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a request that failed before it was decided hands to the journal's give-back
 * ({@link TakenCounters#handToTheJournal()}): its terminal hears a MACed 96, which it trusts and does not
 * reverse, so nothing else gives back its daily shares or its share of an original (a
 * completion's, which kept its pre-authorization from being voided).
 */
class TakenCountersTest {
    private static final String REQUEST = "TERM0001|000042|2026-11-29|02";
    private final List<List<CounterIncrement>> toTheJournal = new ArrayList<>();

    @Test
    void aRequestThatFailedUndecidedHandsEveryShareItTookAndTookOverToTheJournalOnce() {
        CounterIncrement daily = share(CounterKind.CARD, "card-token");
        CounterIncrement ofItsOriginal = share(CounterKind.ORIGINAL, "pre-authorization-id");
        CounterIncrement adopted = share(CounterKind.TERMINAL, "TERM0001");
        TakenCounters taken = new TakenCounters(List.of(daily), List.of(ofItsOriginal), List.of(adopted), toTheJournal::add);

        taken.handToTheJournal();
        taken.handToTheJournal();

        assertThat(toTheJournal).containsExactly(List.of(daily, ofItsOriginal, adopted));
    }

    @Test
    void sharesLeftToTheJournalAlreadyAreNotHandedOverAgain() {
        TakenCounters taken = new TakenCounters(List.of(share(CounterKind.CARD, "card-token")), List.of(), List.of(),
                toTheJournal::add);
        taken.leaveToTheJournal();

        taken.handToTheJournal();

        assertThat(toTheJournal).isEmpty();
    }

    @Test
    void aRequestThatTookNothingHandsNothingOver() {
        new TakenCounters(List.of(), List.of(), List.of(), toTheJournal::add).handToTheJournal();

        assertThat(toTheJournal).isEmpty();
    }

    private static CounterIncrement share(CounterKind kind, String value) {
        return new CounterIncrement(new CounterKey(kind, value, LocalDate.of(2026, 11, 29), "PREAUTH_COMPLETION", "156"), 5_000,
                CounterLimit.UNLIMITED, REQUEST);
    }
}
