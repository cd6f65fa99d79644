package io.isoswitch.settlement.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.settlement.JournalNotReachedException;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.TestDatabase;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.TransactionState;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL refuses the journal's connections (a failover, a restart): once the journal has
 * found it out of reach, its I/O threads do not wait out the pool's connection timeout. They fail
 * as unavailable at once while a probe of its own waits for a connection, so that terminals hear 96
 * in time rather than queue behind one another. Before, every statement of every I/O thread waited
 * {@code journal.connectionTimeoutMs}, and during {@code DatabaseOutageChaosTest}'s outage purchases
 * went unanswered past their terminals' timeouts. When the database admits connections again, the
 * journal uses it again by itself.
 *
 * <p>What fails for want of a connection never reached the database: it fails as not written
 * ({@link JournalNotReachedException}), never as a write in doubt. A pool that is only exhausted
 * (every connection in use, the database answering) does not make the database out of reach.
 */
class DatabaseOutOfReachTest {
    @Test
    void onceTheDatabaseIsFoundOutOfReachEveryCallerFailsAtOnceAndAProbeFindsItBack() throws Exception {
        try (StallingProxy proxy = new StallingProxy(5432);
             TestDatabase database = TestDatabase.openPostgresThrough(proxy.port(), 10_000)) {
            BlockingSqlExecutor executor = database.database().executor();
            assertThat(select(executor).join()).isEqualTo(1);

            proxy.refuse();
            awaitOutOfReach(executor);

            // as many statements as the executor has threads, together, twice: none waits (the probe is not theirs)
            List<CompletableFuture<Integer>> together = new ArrayList<>();
            for (int i = 0; i < 2 * database.database().ioThreads(); i++) {
                together.add(select(executor));
            }
            List<Throwable> failures = together.stream().map(DatabaseOutOfReachTest::failure).toList();
            assertThat(failures).as("nothing reached the database: not written, not in doubt")
                    .allMatch(f -> f instanceof JournalNotReachedException);
            assertThat(failures).as("statements that failed without waiting for a connection")
                    .allMatch(DatabaseOutOfReachTest::failedAtOnce);

            proxy.admit();
            FailFastDataSource connections = (FailFastDataSource) database.database().dataSource();
            await("the probe finds the database back, no caller asking").atMost(Duration.ofSeconds(60))
                    .until(() -> !connections.outOfReach());
            assertThat(select(executor).join()).as("the first statement after the outage").isEqualTo(1);
        }
    }

    /**
     * Regression: a stand-in approval refused at once during an outage failed as a write in doubt
     * (JournalUnavailableException), so the switch owed a reversal for a record that could never
     * exist and held the card's stand-in allowance for half an hour. Its write never reached the
     * database: it fails as not written, and the record is not there once the database is back.
     */
    @Test
    void aJournalWriteRefusedForWantOfAConnectionFailsAsNotWritten() throws Exception {
        try (StallingProxy proxy = new StallingProxy(5432);
             TestDatabase database = TestDatabase.openPostgresThrough(proxy.port(), 10_000);
             Journal journal = new Journal(database.database(), JournalSettings.defaults(), CommitListener.NONE, Clock.systemUTC())) {
            BlockingSqlExecutor executor = database.database().executor();
            proxy.refuse();
            awaitOutOfReach(executor);

            UUID id = UUID.randomUUID();
            JournalRequest request = Requests.purchase("node-o", Requests.newTerminalId(), Requests.stan(1), 2_500, "issuer-o");
            Throwable refused = failure(journal.recordResolved(id, request,
                    new Outcome(TransactionState.STAND_IN_APPROVED, "00", "S00001", null), null));
            assertThat(refused).isInstanceOf(JournalNotReachedException.class);

            proxy.admit();
            await().atMost(Duration.ofSeconds(60)).until(() -> select(executor).handle((one, f) -> f == null).join());
            assertThat(database.queryLong("SELECT count(*) FROM " + database.config().schema() + ".journal WHERE id = '" + id + "'"))
                    .as("the record of a write that never reached the database").isZero();
        }
    }

    /**
     * Regression: a settlement run holding every connection of the shared pool made the journal
     * take the database for out of reach (the pool's wait timed out), so live authorisations were
     * refused at once until a probe got a connection again. An exhausted pool, with the database
     * answering, leaves the journal as it was: every caller waits for its connection.
     */
    @Test
    void aPoolExhaustedWhileTheDatabaseAnswersIsNotTheDatabaseOutOfReach() throws Exception {
        try (TestDatabase database = TestDatabase.openPostgresTagged()) {
            FailFastDataSource connections = (FailFastDataSource) database.database().dataSource();
            BlockingSqlExecutor executor = database.database().executor();
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < database.config().poolSize(); i++) {
                    held.add(connections.getConnection());
                }
                Throwable waited = failure(select(executor));
                assertThat(waited).as("a statement that waited out the pool's timeout").isInstanceOf(JournalNotReachedException.class);
                assertThat(failedAtOnce(waited)).isFalse();
                assertThat(connections.outOfReach()).as("the database taken for out of reach").isFalse();
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            List<CompletableFuture<Integer>> together = new ArrayList<>();
            for (int i = 0; i < database.database().ioThreads(); i++) {
                together.add(select(executor));
            }
            assertThat(together).allSatisfy(statement -> assertThat(statement.join()).isEqualTo(1));
        }
    }

    /** The pool's open connections fail as they are used or checked; then the pool has none to give. */
    private static void awaitOutOfReach(BlockingSqlExecutor executor) {
        await("a statement failed for want of a connection").atMost(Duration.ofSeconds(60))
                .until(() -> failedForWantOfAConnection(failure(select(executor))));
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
            if (t instanceof NoConnectionException e && e.refusedAtOnce()) {
                return true;
            }
        }
        return false;
    }
}
