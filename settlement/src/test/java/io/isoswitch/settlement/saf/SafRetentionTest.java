package io.isoswitch.settlement.saf;

import static io.isoswitch.settlement.Requests.purchase;
import static io.isoswitch.settlement.Requests.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.BothDatabases;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.testkit.time.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Delivered store-and-forward entries are deleted after their retention, a batch at a time, while
 * their journal records (the money) stay. Each test purges the whole class's schema, so each
 * counts only what it made.
 */
class SafRetentionTest extends BothDatabases {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final MutableClock clock = MutableClock.startingNow();

    private List<UUID> queueReversals(Backend backend, String issuer, int count) {
        List<UUID> ids = new ArrayList<>();
        try (Journal journal = new Journal(on(backend).database(), JournalSettings.defaults(), CommitListener.NONE, clock)) {
            String terminal = Requests.newTerminalId();
            for (int i = 1; i <= count; i++) {
                UUID id = journal.recordSent(purchase("node-a", terminal, stan(i), i * 100L, issuer)).join().entry().id();
                journal.transition(id, TransactionState.SENT, TransactionState.REVERSAL_PENDING,
                        SafRequest.reversal(issuer, "68", i * 100L, "840")).join();
                ids.add(id);
            }
        }
        return ids;
    }

    private void deliverAll(StoreAndForwardQueue queue, String issuer) {
        for (SafEntry entry : queue.claim(issuer, "consumer-1", LEASE, 16).join()) {
            assertThat(queue.acknowledge(entry).join()).isTrue();
        }
    }

    private long count(Backend backend, String sql) throws Exception {
        return on(backend).queryLong(sql);
    }

    private static String issuer(String name, Backend backend) {
        return name + "-" + backend.name().toLowerCase(Locale.ROOT);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void purgesDeliveredEntriesDoneBeforeTheCutoffABatchAtATimeAndKeepsTheirJournalRecords(Backend backend) throws Exception {
        String issuer = issuer("purge", backend);
        StoreAndForwardQueue queue = new StoreAndForwardQueue(on(backend).database(), clock);
        SafRetention retention = new SafRetention(on(backend).database());
        List<UUID> old = queueReversals(backend, issuer, 3);
        deliverAll(queue, issuer);
        Instant cutoff = clock.instant().plus(Duration.ofDays(1));
        clock.advance(Duration.ofDays(2));
        List<UUID> recent = queueReversals(backend, issuer, 1);
        deliverAll(queue, issuer);
        queueReversals(backend, issuer, 1);
        long attemptsBefore = count(backend, "SELECT count(*) FROM saf_attempt");

        assertThat(retention.purgeDone(cutoff, 2).join()).as("at most a batch").isEqualTo(2);
        assertThat(retention.purgeDone(cutoff, 2).join()).isEqualTo(1);
        assertThat(retention.purgeDone(cutoff, 2).join()).isZero();

        assertThat(count(backend, "SELECT count(*) FROM saf_queue WHERE state = 'DONE'")).as("the recent one stays").isEqualTo(1);
        assertThat(count(backend, "SELECT count(*) FROM saf_queue WHERE state = 'PENDING'")).isEqualTo(1);
        assertThat(count(backend, "SELECT count(*) FROM saf_attempt")).as("the purged entries' attempts go with them")
                .isEqualTo(attemptsBefore - 3);
        assertThat(count(backend, "SELECT count(*) FROM journal WHERE state = 'REVERSED' AND issuer_id = '" + issuer + "'")).as("journal records are never purged")
                .isEqualTo(old.size() + recent.size());

        assertThat(retention.purgeDone(clock.instant().plus(Duration.ofDays(365)), 10).join())
                .as("a pending entry is never purged, however old").isEqualTo(1);
        assertThat(count(backend, "SELECT count(*) FROM saf_queue WHERE state = 'PENDING'")).isEqualTo(1);
        assertThat(count(backend, "SELECT count(*) FROM journal WHERE issuer_id = '" + issuer + "'")).isEqualTo(5);
    }

    /**
     * Regression: a cancelled entry (a void reversed before its sale's reversal went) was never
     * purged: only delivered ones were, so cancelled rows and their attempts piled up for ever.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void purgesCancelledEntriesUnderTheSameRetentionAsDeliveredOnes(Backend backend) throws Exception {
        String issuer = issuer("cancelled", backend);
        SafRetention retention = new SafRetention(on(backend).database());
        List<UUID> ids = queueReversals(backend, issuer, 2);
        cancel(backend, ids.get(0));
        Instant cutoff = clock.instant().plus(Duration.ofDays(1));
        clock.advance(Duration.ofDays(2));
        cancel(backend, ids.get(1));
        String cancelled = "SELECT count(*) FROM saf_queue WHERE state = 'CANCELLED' AND issuer_id = '" + issuer + "'";

        while (retention.purgeDone(cutoff, SafRetention.MAX_BATCH).join() > 0) {
            // every entry done before the cutoff, whoever made it
        }
        assertThat(count(backend, cancelled)).as("the one cancelled after the cutoff stays").isEqualTo(1);

        while (retention.purgeDone(clock.instant().plusSeconds(1), SafRetention.MAX_BATCH).join() > 0) {
            // the rest
        }
        assertThat(count(backend, cancelled)).isZero();
        assertThat(count(backend, "SELECT count(*) FROM journal WHERE issuer_id = '" + issuer + "'")).as("journal records stay")
                .isEqualTo(2);
    }

    /** Cancels the queued reversal of record {@code id} now, as a void reversed before it went does. */
    private void cancel(Backend backend, UUID id) throws Exception {
        try (Connection c = on(backend).directConnection();
             java.sql.PreparedStatement s = c.prepareStatement("UPDATE saf_queue SET state = 'CANCELLED', done_at = ?, updated_at = ?"
                     + " WHERE journal_id = ? AND state = 'PENDING'")) {
            io.isoswitch.settlement.db.SqlValues.setInstant(s, 1, clock.instant());
            io.isoswitch.settlement.db.SqlValues.setInstant(s, 2, clock.instant());
            s.setObject(3, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    /** On PostgreSQL only: row locks across connections, as in production. */
    @Test
    void aPurgeSkipsEntriesAnotherNodeHoldsInsteadOfWaitingForThem() throws Exception {
        Backend backend = Backend.POSTGRESQL;
        String issuer = issuer("locked", backend);
        StoreAndForwardQueue queue = new StoreAndForwardQueue(on(backend).database(), clock);
        SafRetention retention = new SafRetention(on(backend).database());
        queueReversals(backend, issuer, 2);
        deliverAll(queue, issuer);
        Instant cutoff = clock.instant().plusSeconds(1);

        try (Connection other = on(backend).directConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement();
                 ResultSet r = s.executeQuery("SELECT id FROM saf_queue WHERE state = 'DONE' ORDER BY id FETCH FIRST 1 ROWS ONLY FOR UPDATE")) {
                assertThat(r.next()).isTrue();
            }
            // the bound only keeps a broken build from hanging: a purge that waits never finishes while the lock is held
            assertThat(retention.purgeDone(cutoff, 10).get(30, TimeUnit.SECONDS)).isEqualTo(1);
            other.rollback();
        }
        assertThat(retention.purgeDone(cutoff, 10).join()).isEqualTo(1);
    }

    /** On PostgreSQL only: H2 has no partial indexes (it reads saf_queue_issuer_state and the table). */
    @Test
    void theQueriesOnPendingEntriesAndThePurgeReadIndexesWithoutTheOtherStates() throws Exception {
        Backend backend = Backend.POSTGRESQL;
        try (Connection c = on(backend).directConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
            }
            assertThat(plan(c, StoreAndForwardQueue.ISSUERS)).contains("saf_queue_pending");
            assertThat(plan(c, StoreAndForwardQueue.PENDING, "x")).contains("saf_queue_pending");
            // read by the queue gauge every few seconds per issuer: never a walk of the delivered rows
            assertThat(plan(c, StoreAndForwardQueue.COUNT_ABANDONED, "x")).contains("saf_queue_abandoned");
            assertThat(plan(c, SafRetention.DONE_BEFORE, java.sql.Timestamp.from(clock.instant()), 10)).contains("saf_queue_finished");
        }
    }

    private static String plan(Connection c, String query, Object... parameters) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (java.sql.PreparedStatement s = c.prepareStatement("EXPLAIN " + query)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }
}
