package io.isoswitch.settlement.journal;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.settlement.JournalUnavailableException;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The journal's database connections are killed in the middle of a stream of writes (on the real
 * PostgreSQL, with {@code pg_terminate_backend}). Every write reported durable must be in the
 * table, every failure must be typed, and the journal must carry on by itself afterwards.
 */
class JournalOutageIT {
    private static final int IN_FLIGHT = 32;
    private static final String NODE = "outage-node";

    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Map<Long, UUID> durable = new ConcurrentHashMap<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Long> failedSequences = new CopyOnWriteArrayList<>();
    private final String terminal = Requests.newTerminalId();

    @Test
    void writesFailTypedWhileConnectionsAreKilledAndTheJournalRecoversByItself() throws SQLException {
        try (TestDatabase database = TestDatabase.openPostgresTagged();
             Journal journal = new Journal(database.database(), JournalSettings.defaults(), CommitListener.NONE,
                     Clock.systemUTC())) {
            for (int i = 0; i < IN_FLIGHT; i++) {
                submitNext(journal);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> durable.size() >= 300);

            long killedAfter = sequence.get();
            int killed = killPoolConnections(database);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> durable.keySet().stream().filter(seq -> seq > killedAfter).count() >= 300);
            stopped.set(true);
            await().atMost(Duration.ofSeconds(60)).until(() -> inFlight.get() == 0);

            Set<UUID> stored = storedIds(database);
            long inDoubt = failedSequences.size() - failedSequences.stream().filter(seq -> !durable.containsKey(seq)).count();
            System.out.printf("journal outage: %d writes, %d durable, %d failed (%d of them committed anyway), "
                            + "%d connections killed after write %d%n",
                    sequence.get(), durable.size(), failures.size(), inDoubt, killed, killedAfter);

            assertThat(killed).as("pool connections killed").isPositive();
            assertThat(stored).containsAll(durable.values());
            assertThat(failures).as("writes that failed while the connections died").isNotEmpty()
                    .allSatisfy(f -> assertThat(f).isInstanceOf(JournalUnavailableException.class));
            long lastFailure = failedSequences.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(durable.keySet()).as("writes after the outage succeed").anyMatch(seq -> seq > lastFailure);
            assertThat(LongStreams.range(lastFailure + 1, sequence.get())).allMatch(durable::containsKey);
        }
    }

    /** Keeps {@link #IN_FLIGHT} writes going: each completion, durable or failed, submits the next. */
    private void submitNext(Journal journal) {
        if (stopped.get()) {
            return;
        }
        long seq = sequence.incrementAndGet();
        inFlight.incrementAndGet();
        journal.recordSent(purchase(NODE, terminal, stan((int) (seq % 1_000_000)), seq, "issuer-a"))
                .whenComplete((result, failure) -> {
                    if (failure == null) {
                        durable.put(seq, result.entry().id());
                    } else {
                        failures.add(failure instanceof CompletionException c ? c.getCause() : failure);
                        failedSequences.add(seq);
                    }
                    submitNext(journal);
                    inFlight.decrementAndGet();
                });
    }

    /** Kills this test's pool connections only: other tests may share the database. */
    private static int killPoolConnections(TestDatabase database) throws SQLException {
        try (Connection admin = DriverManager.getConnection(TestDatabase.POSTGRES_URL, TestDatabase.POSTGRES_USER, "");
             PreparedStatement kill = admin.prepareStatement("""
                     SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                      WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ?""")) {
            kill.setString(1, "journal_" + database.config().schema());
            int killed = 0;
            try (ResultSet r = kill.executeQuery()) {
                while (r.next()) {
                    killed += r.getBoolean(1) ? 1 : 0;
                }
            }
            return killed;
        }
    }

    private Set<UUID> storedIds(TestDatabase database) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (Connection c = database.directConnection();
             PreparedStatement s = c.prepareStatement("SELECT id FROM journal WHERE terminal_id = ?")) {
            s.setString(1, terminal);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    /** Sequence numbers as a list, for a readable assertion. */
    private static final class LongStreams {
        static List<Long> range(long fromInclusive, long toExclusive) {
            return java.util.stream.LongStream.range(fromInclusive, toExclusive).boxed().toList();
        }
    }
}
