package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.settlement.JournalNotReachedException;
import io.isoswitch.settlement.JournalUnavailableException;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.TestDatabase;
import io.isoswitch.settlement.db.StallingProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The journal's connection goes silent in the middle of a commit, as when the network path to
 * PostgreSQL dies without a reset (a stalled link, a database host failed over): no error, no
 * answer, ever. The commit must fail as unavailable (the switch answers 96 and its readiness turns
 * down) and the journal must carry on over new connections by itself, rather than the writer
 * thread waiting for ever with every later write queued behind it.
 */
class JournalStallTest {
    private static final String NODE = "stall-node";
    /** Short, so that the test does not wait long; the outcome does not depend on it. */
    private static final long NETWORK_TIMEOUT_MS = 2_000;

    private final String terminal = Requests.newTerminalId();
    private final AtomicInteger stans = new AtomicInteger();

    @Test
    void aCommitWhoseConnectionGoesSilentFailsAsUnavailableAndTheJournalCarriesOnByItself() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (StallingProxy proxy = new StallingProxy(5432);
             TestDatabase database = TestDatabase.openPostgresThrough(proxy.port(), NETWORK_TIMEOUT_MS);
             Journal journal = new Journal(database.database(), JournalSettings.defaults(), listener, Clock.systemUTC());
             Connection admin = DriverManager.getConnection(TestDatabase.POSTGRES_URL, TestDatabase.POSTGRES_USER, "")) {
            assertThat(journal.recordSent(next()).join()).isInstanceOf(SentResult.Recorded.class);

            // the writer's next commit is held at the database (a lock), so that it is in flight
            // on its connection when that connection goes silent
            admin.setAutoCommit(false);
            try (Statement s = admin.createStatement()) {
                s.execute("LOCK TABLE " + database.config().schema() + ".journal IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<SentResult> stalled = journal.recordSent(next());
            await().atMost(Duration.ofSeconds(60)).until(() -> stalled.isDone() || database.aPoolConnectionWaitsOnALock());
            proxy.freeze();
            admin.commit();

            try {
                await().atMost(Duration.ofSeconds(60)).until(stalled::isDone);
                assertThat(stalled).isCompletedExceptionally();
                assertThat(stalled.handle((r, f) -> f instanceof CompletionException c ? c.getCause() : f).join())
                        .as("a commit lost on its connection is in doubt, not 'not written'")
                        .isInstanceOf(JournalUnavailableException.class).isNotInstanceOf(JournalNotReachedException.class);
                assertThat(listener.failedBatches).as("failed batches reported (readiness)").isNotEmpty();

                // the pool's silent connections are given up one by one; new ones reach the database
                await().atMost(Duration.ofSeconds(60)).until(() -> journal.recordSent(next())
                        .handle((recorded, failure) -> failure == null).join());
            } finally {
                proxy.thaw();
            }
        }
    }

    private io.isoswitch.settlement.journal.JournalRequest next() {
        int n = stans.incrementAndGet();
        return purchase(NODE, terminal, stan(n), n, "issuer-a");
    }
}
