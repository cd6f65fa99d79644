package io.isoswitch.settlement.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.limits.LimitDecision.ExceededLimit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LimitCountersTest extends BothDatabases {

    private static CounterKey card(String token) {
        return new CounterKey(CounterKind.CARD, token, Requests.BUSINESS_DATE, "PURCHASE", "840");
    }

    private static String newToken() {
        return java.util.UUID.randomUUID().toString().replace("-", "");
    }

    /** Fires {@code attempts} increments at once from two nodes (two pools on the same schema). */
    private List<LimitDecision> incrementFromTwoNodes(Backend backend, CounterIncrement increment, int attempts) {
        try (JournalDatabase otherNode = on(backend).openAnotherNode()) {
            LimitCounters nodeA = counters(backend);
            LimitCounters nodeB = new LimitCounters(otherNode, Clock.systemUTC());
            List<CompletableFuture<LimitDecision>> futures = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                futures.add((i % 2 == 0 ? nodeA : nodeB).tryIncrement(List.of(increment)));
            }
            return futures.stream().map(CompletableFuture::join).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void concurrentIncrementsStopExactlyAtTheCountLimit(Backend backend) {
        CounterKey key = card(newToken());
        List<LimitDecision> decisions = incrementFromTwoNodes(backend,
                new CounterIncrement(key, 100, new CounterLimit(10, Long.MAX_VALUE / 2)), 30);

        assertThat(decisions).filteredOn(d -> d instanceof LimitDecision.Accepted).hasSize(10);
        assertThat(decisions).filteredOn(d -> d instanceof LimitDecision.Refused).hasSize(20)
                .allSatisfy(d -> assertThat(((LimitDecision.Refused) d).exceeded()).isEqualTo(ExceededLimit.COUNT));
        assertThat(counters(backend).current(key).join())
                .contains(new CounterValue(10, 1_000));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void concurrentIncrementsStopExactlyAtTheAmountLimitWhichIsItselfAllowed(Backend backend) {
        CounterKey key = card(newToken());
        List<LimitDecision> decisions = incrementFromTwoNodes(backend,
                new CounterIncrement(key, 250, new CounterLimit(1_000, 1_000)), 12);

        assertThat(decisions).filteredOn(d -> d instanceof LimitDecision.Accepted).hasSize(4);
        assertThat(decisions).filteredOn(d -> d instanceof LimitDecision.Refused).hasSize(8)
                .allSatisfy(d -> assertThat(((LimitDecision.Refused) d).exceeded()).isEqualTo(ExceededLimit.AMOUNT));
        assertThat(counters(backend).current(key).join())
                .contains(new CounterValue(4, 1_000));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRefusalOnOneCounterIncrementsNoneOfTheOthers(Backend backend) {
        LimitCounters counters = counters(backend);
        CounterKey card = card(newToken());
        CounterKey merchant = new CounterKey(CounterKind.MERCHANT, "M" + newToken().substring(0, 14),
                Requests.BUSINESS_DATE, "PURCHASE", "840");
        CounterLimit merchantLimit = new CounterLimit(100, 5_000);
        assertThat(counters.tryIncrement(List.of(new CounterIncrement(merchant, 4_000, merchantLimit))).join())
                .isInstanceOf(LimitDecision.Accepted.class);

        LimitDecision decision = counters.tryIncrement(List.of(
                new CounterIncrement(card, 1_500, CounterLimit.UNLIMITED),
                new CounterIncrement(merchant, 1_500, merchantLimit))).join();

        assertThat(decision).isEqualTo(new LimitDecision.Refused(merchant, ExceededLimit.AMOUNT, new CounterValue(1, 4_000)));
        assertThat(counters.current(card).join()).isEmpty();
        assertThat(counters.current(merchant).join()).contains(new CounterValue(1, 4_000));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void releasingGivesBackWhatAnIncrementTookAndNeverGoesBelowZero(Backend backend) {
        LimitCounters counters = counters(backend);
        CounterKey key = card(newToken());
        CounterIncrement increment = new CounterIncrement(key, 700, new CounterLimit(1, 1_000));
        assertThat(counters.tryIncrement(List.of(increment)).join()).isInstanceOf(LimitDecision.Accepted.class);
        assertThat(counters.tryIncrement(List.of(increment)).join()).isInstanceOf(LimitDecision.Refused.class);

        counters.release(List.of(increment)).join();
        counters.release(List.of(increment)).join();

        assertThat(counters.current(key).join()).contains(new CounterValue(0, 0));
        assertThat(counters.tryIncrement(List.of(increment)).join()).isInstanceOf(LimitDecision.Accepted.class);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void countersAreSeparatePerBusinessDateTypeAndCurrency(Backend backend) {
        LimitCounters counters = counters(backend);
        String token = newToken();
        CounterLimit onePerDay = new CounterLimit(1, 10_000);
        CounterKey today = card(token);
        CounterKey tomorrow = new CounterKey(CounterKind.CARD, token, Requests.BUSINESS_DATE.plusDays(1), "PURCHASE", "840");
        CounterKey refund = new CounterKey(CounterKind.CARD, token, Requests.BUSINESS_DATE, "REFUND", "840");
        CounterKey euro = new CounterKey(CounterKind.CARD, token, Requests.BUSINESS_DATE, "PURCHASE", "978");

        for (CounterKey key : List.of(today, tomorrow, refund, euro)) {
            assertThat(counters.tryIncrement(List.of(new CounterIncrement(key, 1, onePerDay))).join())
                    .isInstanceOf(LimitDecision.Accepted.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void refundsAgainstAnOriginalNeverExceedWhatIsLeftOfIt(Backend backend) {
        CounterKey refunded = new CounterKey(CounterKind.ORIGINAL, java.util.UUID.randomUUID().toString(),
                Requests.BUSINESS_DATE, "REFUND", "840");
        CounterLimit originalAmount = new CounterLimit(Long.MAX_VALUE / 2, 10_000);
        LimitCounters counters = counters(backend);

        assertThat(counters.tryIncrement(List.of(new CounterIncrement(refunded, 6_000, originalAmount))).join())
                .isInstanceOf(LimitDecision.Accepted.class);
        assertThat(counters.tryIncrement(List.of(new CounterIncrement(refunded, 4_001, originalAmount))).join())
                .isEqualTo(new LimitDecision.Refused(refunded, ExceededLimit.AMOUNT, new CounterValue(1, 6_000)));
        assertThat(counters.tryIncrement(List.of(new CounterIncrement(refunded, 4_000, originalAmount))).join())
                .isInstanceOf(LimitDecision.Accepted.class);
    }
}
