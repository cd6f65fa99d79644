package io.isoswitch.settlement.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.TestDatabase;
import io.isoswitch.settlement.clearing.MerchantSettlement;
import io.isoswitch.settlement.clearing.SettlementProgress;
import io.isoswitch.settlement.clearing.SettlementReport;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two switch nodes on one PostgreSQL database journal purchases on several threads while the
 * business date is cut over from both nodes and a command at once: one cutover applies, no
 * transaction is lost, and every one is on exactly one date and settled exactly once.
 */
class CutoverUnderLoadTest {
    private static final int WRITERS_PER_NODE = 3;
    private static final int ROWS_AFTER_CUTOVER = 40;

    @Test
    void cutoverUnderLoadLosesNothingAndPutsEveryTransactionOnOneDate() throws Exception {
        try (TestDatabase database = TestDatabase.open(Backend.POSTGRESQL);
             JournalDatabase secondNode = database.openAnotherNode()) {
            // the schedule is not due today, so only the explicit cutovers below move the date
            CutoverSchedule schedule = new CutoverSchedule(LocalTime.MIDNIGHT, ZoneOffset.UTC);
            LocalDate day = schedule.dateAt(Instant.now());
            List<JournalDatabase> nodes = List.of(database.database(), secondNode);
            List<BusinessDay> days = new ArrayList<>();
            List<Journal> journals = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                days.add(BusinessDay.start(new BusinessCalendar(nodes.get(n), Clock.systemUTC()), schedule, Duration.ofMillis(20), "node-" + n));
                journals.add(new Journal(nodes.get(n), JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC()));
            }
            assertThat(days).allSatisfy(d -> assertThat(d.get()).isEqualTo(day));

            Set<UUID> written = ConcurrentHashMap.newKeySet();
            AtomicBoolean cutOver = new AtomicBoolean();
            AtomicInteger afterCutover = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(nodes.size() * WRITERS_PER_NODE);
            List<Future<?>> running = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                for (int w = 0; w < WRITERS_PER_NODE; w++) {
                    String terminal = String.format("T%d%06d", n, w + ThreadLocalRandom.current().nextInt(1000) * 10);
                    Journal journal = journals.get(n);
                    BusinessDay businessDay = days.get(n);
                    running.add(writers.submit(() -> {
                        for (int stan = 1; afterCutover.get() < ROWS_AFTER_CUTOVER; stan++) {
                            boolean late = cutOver.get();
                            JournalRequest request = purchase(businessDay.get(), terminal, stan);
                            written.add(journal.recordResolved(request, Outcome.approved("A00001"), null).join().entry().id());
                            if (late) {
                                afterCutover.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> written.size() >= 200);

            // both nodes and an operator's command close the day at the same moment
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService cutters = Executors.newFixedThreadPool(3);
            List<Future<CutoverResult>> attempts = List.of(
                    cutters.submit(() -> { go.await(); return days.get(0).closeEarly(day, "node-0").join(); }),
                    cutters.submit(() -> { go.await(); return days.get(1).closeEarly(day, "node-1").join(); }),
                    cutters.submit(() -> { go.await(); return new BusinessCalendar(secondNode, Clock.systemUTC()).closeEarly(day, "command"); }));
            go.countDown();
            List<CutoverResult> results = new ArrayList<>();
            for (Future<CutoverResult> attempt : attempts) {
                results.add(attempt.get());
            }
            cutOver.set(true);
            assertThat(results).filteredOn(CutoverResult::applied).hasSize(1);
            assertThat(results).allSatisfy(r -> assertThat(r.businessDate()).isEqualTo(day.plusDays(1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> days.stream().allMatch(d -> d.get().equals(day.plusDays(1))));
            for (Future<?> writer : running) {
                writer.get();
            }
            writers.shutdown();
            cutters.shutdown();

            long onDay = database.queryLong("SELECT COUNT(*) FROM journal WHERE business_date = DATE '" + day + "'");
            long onNext = database.queryLong("SELECT COUNT(*) FROM journal WHERE business_date = DATE '" + day.plusDays(1) + "'");
            assertThat(database.queryLong("SELECT COUNT(*) FROM journal")).isEqualTo(written.size());
            assertThat(database.queryLong("SELECT COUNT(DISTINCT id) FROM journal")).isEqualTo(written.size());
            assertThat(onDay).isPositive();
            assertThat(onNext).isPositive();
            assertThat(onDay + onNext).isEqualTo(written.size());
            assertThat(database.queryLong("SELECT COUNT(*) FROM business_cutover WHERE from_date = DATE '" + day + "'")).isEqualTo(1);

            // settled: each row once, on its own date
            MerchantSettlement settlement = new MerchantSettlement(database.database(), Clock.systemUTC());
            SettlementReport first = settlement.settle(day, SettlementProgress.NONE);
            new BusinessCalendar(database.database(), Clock.systemUTC()).closeEarly(day.plusDays(1), "test");
            SettlementReport second = settlement.settle(day.plusDays(1), SettlementProgress.NONE);
            assertThat(first.transactions()).isEqualTo(onDay);
            assertThat(second.transactions()).isEqualTo(onNext);
            assertThat(second.corrections()).isZero();
            long sales = first.merchants().stream().mapToLong(m -> m.salesCount()).sum()
                    + second.merchants().stream().mapToLong(m -> m.salesCount()).sum();
            assertThat(sales).isEqualTo(written.size());
            assertThat(first.transactions() + second.transactions()).isEqualTo(database.queryLong("SELECT COUNT(*) FROM journal"));

            days.forEach(BusinessDay::close);
            journals.forEach(Journal::close);
        }
    }

    private static JournalRequest purchase(LocalDate businessDate, String terminal, int stan) {
        String s = String.format("%06d", stan);
        byte[] token = new byte[32];
        ThreadLocalRandom.current().nextBytes(token);
        return new JournalRequest("node-1", businessDate, terminal, "M1", s, LocalDate.of(2026, 11, 26), "0200",
                LocalDate.of(2026, 11, 26).atTime(12, 0), "PURCHASE", "000000", 1_000, "156",
                new CardReference(token, "476173******0119", null, null), new IssuerLeg("bank-b", s, "6330" + String.format("%08d", stan),
                Instant.parse("2026-11-26T12:00:00Z")), null);
    }
}
