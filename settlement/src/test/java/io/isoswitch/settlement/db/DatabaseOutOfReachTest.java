package io.isoswitch.settlement.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.settlement.JournalUnavailableException;
import io.isoswitch.settlement.TestDatabase;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL refuses the journal's connections (a failover, a restart): once the journal has
 * found it out of reach, its I/O threads do not each wait out the pool's connection timeout. One
 * waits for a connection, the others fail as unavailable at once, so that terminals hear 96 in
 * time rather than queue behind one another. Before, every statement of every I/O thread waited
 * {@code journal.connectionTimeoutMs}, and during {@code DatabaseOutageChaosTest}'s outage purchases
 * went unanswered past their terminals' timeouts. When the database admits connections again, the
 * journal uses it again by itself.
 */
class DatabaseOutOfReachTest {
    @Test
    void onceTheDatabaseIsFoundOutOfReachOnlyOneCallerWaitsForAConnectionAndTheOthersFailAtOnce() throws Exception {
        try (StallingProxy proxy = new StallingProxy(5432);
             TestDatabase database = TestDatabase.openPostgresThrough(proxy.port(), 10_000)) {
            BlockingSqlExecutor executor = database.database().executor();
            assertThat(select(executor).join()).isEqualTo(1);

            proxy.refuse();
            // the pool's open connections fail as they are used or checked; then the pool has none to give
            await("a statement failed for want of a connection").atMost(Duration.ofSeconds(60))
                    .until(() -> failedForWantOfAConnection(failure(select(executor))));

            // as many statements as the executor has threads, together: one probes, the rest must not wait
            List<CompletableFuture<Integer>> together = new ArrayList<>();
            for (int i = 0; i < database.database().ioThreads(); i++) {
                together.add(select(executor));
            }
            List<Throwable> failures = together.stream().map(DatabaseOutOfReachTest::failure).toList();
            assertThat(failures).allMatch(f -> f instanceof JournalUnavailableException);
            assertThat(failures.stream().filter(DatabaseOutOfReachTest::failedAtOnce).count())
                    .as("statements that failed without waiting for a connection, of %s", failures)
                    .isGreaterThanOrEqualTo(database.database().ioThreads() - 1L);

            proxy.admit();
            await().atMost(Duration.ofSeconds(60)).until(() -> select(executor).handle((one, f) -> f == null).join());
        }
    }

    private static CompletableFuture<Integer> select(BlockingSqlExecutor executor) {
        return executor.inTransaction("select 1", c -> {
            try (Statement s = c.createStatement(); var r = s.executeQuery("SELECT 1")) {
                r.next();
                return r.getInt(1);
            }
        });
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return future.handle((r, f) -> f instanceof CompletionException c ? c.getCause() : f).join();
    }

    private static boolean failedForWantOfAConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** Failed by the journal's own refusal, not after waiting out the pool's connection timeout. */
    private static boolean failedAtOnce(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException e && e.getMessage().startsWith("journal database out of reach")) {
                return true;
            }
        }
        return false;
    }
}
