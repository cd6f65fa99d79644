package io.isoswitch.settlement.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.calendar.BusinessCalendar;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each transaction with limits leaves a counter row and a share row per card, terminal and
 * merchant and business date: a cutover deletes those of the days before the one it closes, and
 * keeps the closing day's (late reversals give counts back there) and every original's counter (a
 * refund can come weeks after its sale).
 */
class DailyCountersPurgeTest extends BothDatabases {
    private static final LocalDate DAY_BEFORE = LocalDate.of(2026, 3, 9);
    private static final LocalDate CLOSING = LocalDate.of(2026, 3, 10);

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aCutoverDeletesTheDailyCountsOfTheDaysBeforeTheOneItCloses(Backend backend) {
        LimitCounters counters = counters(backend);
        CounterKey oldCard = new CounterKey(CounterKind.CARD, "ab12", DAY_BEFORE, "PURCHASE", "840");
        CounterKey oldMerchant = new CounterKey(CounterKind.MERCHANT, "M1", DAY_BEFORE, "PURCHASE", "840");
        CounterKey closingCard = new CounterKey(CounterKind.CARD, "ab12", CLOSING, "PURCHASE", "840");
        CounterKey oldOriginal = new CounterKey(CounterKind.ORIGINAL, "j-1", DAY_BEFORE, "REFUND", "840");
        CounterLimit any = new CounterLimit(100, 1_000_000);
        for (CounterKey key : List.of(oldCard, oldMerchant, closingCard, oldOriginal)) {
            counters.tryIncrement(List.of(new CounterIncrement(key, 500, any, "T1|000001|" + key.businessDate() + "|020"))).join();
        }
        BusinessCalendar calendar = new BusinessCalendar(on(backend).database(), Clock.systemUTC());
        calendar.currentOrStart(CLOSING);

        assertThat(calendar.cutover(CLOSING, CLOSING.plusDays(1), "test").applied()).isTrue();

        assertThat(counters.current(oldCard).join()).isEmpty();
        assertThat(counters.current(oldMerchant).join()).isEmpty();
        assertThat(counters.current(closingCard).join()).contains(new CounterValue(1, 500));
        assertThat(counters.current(oldOriginal).join()).contains(new CounterValue(1, 500));
        // the day before's shares went with their counters: counting the same share again counts it
        assertThat(counters.tryIncrement(List.of(new CounterIncrement(oldCard, 500, any, "T1|000001|" + DAY_BEFORE + "|020")))
                .join()).isEqualTo(new LimitDecision.Accepted(List.of()));
    }
}
