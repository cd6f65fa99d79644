package io.isoswitch.settlement.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.db.JournalDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Shares that count once per contributor (a refund's share of its original), however often taken or released. */
class LimitCountersContributorTest extends BothDatabases {
    private static final CounterLimit ORIGINAL_AMOUNT = new CounterLimit(Long.MAX_VALUE / 2, 10_000);

    private static CounterKey original() {
        return new CounterKey(CounterKind.ORIGINAL, UUID.randomUUID().toString(), Requests.BUSINESS_DATE, "REFUND", "840");
    }

    /** A refund's share of {@code amount} of {@code original}, its contributor the refund of STAN {@code stan}. */
    private static CounterIncrement refund(CounterKey original, long amount, String stan) {
        return new CounterIncrement(original, amount, ORIGINAL_AMOUNT, "T0000001|" + stan + "|2026-11-26|022");
    }

    /** Takes each of {@code shares}, one request each. */
    private static void take(LimitCounters counters, CounterIncrement... shares) {
        for (CounterIncrement share : shares) {
            counters.tryIncrement(List.of(share)).join();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRepeatedContributorIsAcceptedWithoutCountingAgainAndReportedAsAlreadyCounted(Backend backend) {
        LimitCounters counters = counters(backend);
        CounterKey key = original();
        CounterIncrement refund = refund(key, 10_000, "000123");

        assertThat(counters.tryIncrement(List.of(refund)).join()).isEqualTo(new LimitDecision.Accepted(List.of()));
        // the whole original is refunded: a new increment would be refused, the same refund is not
        assertThat(counters.tryIncrement(List.of(refund)).join()).isEqualTo(new LimitDecision.Accepted(List.of(refund)));
        assertThat(counters.current(key).join()).contains(new CounterValue(1, 10_000));
        assertThat(counters.tryIncrement(List.of(refund(key, 1, "000124"))).join()).isInstanceOf(LimitDecision.Refused.class);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aContributorsShareIsGivenBackExactlyOnce(Backend backend) {
        LimitCounters counters = counters(backend);
        CounterKey key = original();
        CounterIncrement first = refund(key, 6_000, "000123");
        CounterIncrement second = refund(key, 3_000, "000124");
        take(counters, first, second);

        counters.release(List.of(first)).join();
        counters.release(List.of(first)).join();

        assertThat(counters.current(key).join()).contains(new CounterValue(1, 3_000));
        // released, the same contributor counts again (a decline, then the terminal's resend)
        assertThat(counters.tryIncrement(List.of(first)).join()).isEqualTo(new LimitDecision.Accepted(List.of()));
        assertThat(counters.current(key).join()).contains(new CounterValue(2, 9_000));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void namesTheContributorsHoldingSharesOfACounter(Backend backend) {
        LimitCounters counters = counters(backend);
        CounterKey key = original();
        CounterIncrement first = refund(key, 6_000, "000123");
        CounterIncrement second = refund(key, 3_000, "000124");
        take(counters, first, second);
        counters.tryIncrement(List.of(refund(original(), 1, "000125"))).join();
        counters.release(List.of(first)).join();

        assertThat(counters.contributorsTo(key).join()).containsExactly("T0000001|000124|2026-11-26|022");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRefusedIncrementLeavesNoContribution(Backend backend) {
        LimitCounters counters = counters(backend);
        CounterKey key = original();
        counters.tryIncrement(List.of(refund(key, 8_000, "000001"))).join();
        CounterIncrement tooMuch = refund(key, 3_000, "000002");

        assertThat(counters.tryIncrement(List.of(tooMuch)).join()).isInstanceOf(LimitDecision.Refused.class);
        assertThat(counters.tryIncrement(List.of(tooMuch)).join()).isInstanceOf(LimitDecision.Refused.class);
        counters.release(List.of(tooMuch)).join();

        assertThat(counters.current(key).join()).contains(new CounterValue(1, 8_000));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theSameContributorFromTwoNodesAtOnceCountsOnce(Backend backend) {
        CounterKey key = original();
        CounterIncrement refund = refund(key, 2_500, "000123");
        List<LimitDecision> decisions;
        try (JournalDatabase otherNode = on(backend).openAnotherNode()) {
            LimitCounters nodeA = counters(backend);
            LimitCounters nodeB = new LimitCounters(otherNode, Clock.systemUTC());
            List<CompletableFuture<LimitDecision>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add((i % 2 == 0 ? nodeA : nodeB).tryIncrement(List.of(refund)));
            }
            decisions = futures.stream().map(CompletableFuture::join).toList();
        }

        assertThat(decisions).allSatisfy(d -> assertThat(d).isInstanceOf(LimitDecision.Accepted.class));
        assertThat(decisions).filteredOn(d -> ((LimitDecision.Accepted) d).alreadyCounted().isEmpty()).hasSize(1);
        assertThat(counters(backend).current(key).join()).contains(new CounterValue(1, 2_500));
    }
}
