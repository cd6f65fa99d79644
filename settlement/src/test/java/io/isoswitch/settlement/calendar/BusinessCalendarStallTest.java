package io.isoswitch.settlement.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.settlement.JournalUnavailableException;
import io.isoswitch.settlement.TestDatabase;
import io.isoswitch.settlement.db.StallingProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Regression: a node's business date is refreshed (and cut over when due) from the calendar on a
 * thread of its own. A read whose connection went silent (a network path that died without a
 * reset) held that thread for good, so the node stamped every later transaction with the date it
 * had, past every cutover the other nodes made, until it was restarted. The read now fails after
 * the journal's network timeout and the next refresh tries again over a new connection.
 */
class BusinessCalendarStallTest {
    private static final long NETWORK_TIMEOUT_MS = 2_000;

    @Test
    void aReadWhoseConnectionGoesSilentFailsAndTheNextOneReadsTheDate() throws Exception {
        LocalDate today = LocalDate.of(2026, 11, 26);
        try (StallingProxy proxy = new StallingProxy(5432);
             TestDatabase database = TestDatabase.openPostgresThrough(proxy.port(), NETWORK_TIMEOUT_MS);
             Connection admin = DriverManager.getConnection(TestDatabase.POSTGRES_URL, TestDatabase.POSTGRES_USER, "");
             ExecutorService refresher = Executors.newSingleThreadExecutor()) {
            BusinessCalendar calendar = new BusinessCalendar(database.database(), Clock.systemUTC());
            assertThat(calendar.currentOrStart(today)).isEqualTo(today);

            // the next read is held at the database (a lock), so that it is in flight when its connection goes silent
            admin.setAutoCommit(false);
            try (Statement s = admin.createStatement()) {
                s.execute("LOCK TABLE " + database.config().schema() + ".business_calendar IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<Optional<LocalDate>> stalled = CompletableFuture.supplyAsync(calendar::current, refresher);
            await().atMost(Duration.ofSeconds(60)).until(() -> stalled.isDone() || database.aPoolConnectionWaitsOnALock());
            proxy.freeze();
            admin.commit();

            try {
                await().atMost(Duration.ofSeconds(60)).until(stalled::isDone);
                assertThat(stalled.handle((r, f) -> f instanceof CompletionException c ? c.getCause() : f).join())
                        .isInstanceOf(JournalUnavailableException.class);
                // the silent connections are given up one by one; a new one reads the date
                await().atMost(Duration.ofSeconds(60)).until(() -> CompletableFuture.supplyAsync(calendar::current, refresher)
                        .handle((date, failure) -> failure == null && date.equals(Optional.of(today))).join());
            } finally {
                proxy.thaw();
            }
        }
    }
}
