package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Backend;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Settlement runs of two dates begun by two nodes or commands at the same moment, each paused at
 * a named step of the other: every journal row is settled by exactly one run.
 */
class SettlementRunsAtOnceTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private static final LocalDate NEXT = DAY.plusDays(1);
    private static final String VISA = "476173******0119";

    /** Two sales on DAY, one on NEXT; the calendar stands at NEXT + 1. */
    private static void twoClosedDates(SettlementWorld world) {
        world.merchant("M1", "none");
        world.sale(DAY, "M1", 1_000, VISA, "bank-b");
        world.sale(DAY, "M1", 2_000, VISA, "bank-b");
        world.cutover();
        world.sale(NEXT, "M1", 4_000, VISA, "bank-b");
        world.cutover();
    }

    /**
     * A later date is not settled while an earlier one with transactions is not: its run would have
     * paid the earlier date's rows as its own, with no file of their date (an operator's mistyped
     * date merged days without a word; before that, a run of NEXT totalling while DAY was settled
     * paid DAY's rows twice). Refused, it changes nothing; then each date settles its own rows.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLaterDateIsRefusedWhileAnEarlierDateWithTransactionsIsNotSettled(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            twoClosedDates(world);
            assertThatThrownBy(() -> world.settlement.settle(NEXT, SettlementProgress.NONE)).isInstanceOf(SettlementException.class)
                    .hasMessageContaining("in order").hasMessageContaining(DAY.toString());
            assertThat(world.queryLong("SELECT COUNT(*) FROM settlement_run")).isZero();

            assertThat(world.settlement.settle(DAY, SettlementProgress.NONE).merchants())
                    .extracting(MerchantTotals::salesCount, MerchantTotals::salesMinor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 3_000L));
            assertThat(world.settlement.settle(NEXT, SettlementProgress.NONE).merchants())
                    .extracting(MerchantTotals::salesCount, MerchantTotals::salesMinor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 4_000L));
            assertEachRowSettledOnce(world);
        }
    }

    /**
     * Regression: two runs beginning together did not see each other's uncommitted claim. The run
     * of DAY had claimed its date and taken its mark when the run of NEXT began, found no earlier
     * run, settled DAY's rows with its own, and then DAY's run settled them again. Now the second
     * to begin waits for the first's claim, and is then refused until that run has finished.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoRunsBegunAtOnceDoNotBothSettleTheSameRows(Backend backend) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            twoClosedDates(world);
            List<CompletableFuture<SettlementReport>> later = new ArrayList<>();
            SettlementReport day = world.settlement.settle(DAY, (step, count) -> {
                if (step.equals("high-water mark")) {
                    CompletableFuture<SettlementReport> next = CompletableFuture.supplyAsync(
                            () -> world.settlement.settle(NEXT, SettlementProgress.NONE));
                    later.add(next);
                    // until the other run is done, or waits for this one
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> next.isDone() || waitsOnALock(world, backend));
                }
            });
            assertNoRowSettledTwice(world);
            assertThat(day.merchants()).extracting(MerchantTotals::salesCount).containsExactly(2L);
            assertThatThrownBy(later.getFirst()::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(SettlementException.class).hasMessageContaining("has not finished");

            SettlementReport next = world.settlement.settle(NEXT, SettlementProgress.NONE);
            assertThat(next.merchants()).extracting(MerchantTotals::salesCount).containsExactly(1L);
            assertEachRowSettledOnce(world);
        }
    }

    private static boolean waitsOnALock(SettlementWorld world, Backend backend) throws SQLException {
        String sql = backend == Backend.H2
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                : "SELECT COUNT(*) FROM pg_stat_activity a WHERE a.wait_event_type = 'Lock' AND EXISTS (SELECT 1 FROM pg_locks l"
                + " WHERE l.pid = a.pid AND l.relation = 'business_calendar'::regclass)";
        return world.queryLong(sql) > 0;
    }

    /** Every journal row is settled by one run, and by no more than one. */
    static void assertEachRowSettledOnce(SettlementWorld world) throws SQLException {
        String all = settledByAnyRun(world);
        assertNoRowSettledTwice(world);
        assertThat(world.queryLong("SELECT COUNT(*) FROM (" + all + ") b"))
                .as("journal rows settled").isEqualTo(world.queryLong("SELECT COUNT(*) FROM journal"));
    }

    /**
     * No row in two runs' sets as they read now, and no sale in two runs' merchant totals (a run's
     * set is read again from the runs recorded since: the totals keep what it read when it ran).
     */
    static void assertNoRowSettledTwice(SettlementWorld world) throws SQLException {
        assertThat(world.queryLong("SELECT COALESCE(SUM(sales_count), 0) FROM merchant_settlement"))
                .as("sales in the merchant totals of all runs")
                .isLessThanOrEqualTo(world.queryLong("SELECT COUNT(*) FROM journal WHERE transaction_type = 'PURCHASE'"
                        + " AND outcome_state IN " + SettlementSql.APPROVED));
        assertThat(world.queryLong("SELECT COUNT(*) FROM (SELECT id FROM (" + settledByAnyRun(world) + ") b GROUP BY id"
                + " HAVING COUNT(*) > 1) c")).as("journal rows settled by more than one run").isZero();
    }

    /** The ids of the rows each run settled, a row once per run that settled it. */
    private static String settledByAnyRun(SettlementWorld world) throws SQLException {
        List<String> runs = new ArrayList<>();
        try (Connection c = world.database().directConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT settlement_date FROM settlement_run ORDER BY settlement_date")) {
            while (r.next()) {
                runs.add(world.settledRows(r.getObject(1, LocalDate.class)));
            }
        }
        assertThat(runs).isNotEmpty();
        return "SELECT id FROM (" + String.join(" UNION ALL ", runs.stream().map(q -> "SELECT id FROM (" + q + ") q").toList()) + ") a";
    }
}
