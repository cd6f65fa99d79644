package io.isoswitch.core.saf;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.CommitListener;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.JournalSettings;
import io.isoswitch.settlement.journal.TransactionState;
import io.isoswitch.settlement.saf.SafEntry;
import io.isoswitch.settlement.saf.SafRequest;
import io.isoswitch.settlement.saf.SafRetention;
import io.isoswitch.settlement.saf.StoreAndForwardQueue;
import io.isoswitch.testkit.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * The switch's purge of delivered store-and-forward entries: what is older than the retention
 * goes, in batches, counted in {@value SafPurger#PURGED_METRIC}; what is newer, and everything
 * undelivered, stays.
 */
class SafPurgerTest {
    private static final String ISSUER = "bank-p";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 27);
    private final MutableClock clock = MutableClock.startingNow();

    private static JournalRequest purchase(String terminal, int stan) {
        String s = String.format("%06d", stan);
        CardReference card = new CardReference(new byte[32], "476173******0119", null, null);
        return new JournalRequest("node-a", DAY, terminal, "M00000000000042", s, DAY, "0200", LocalDateTime.of(2026, 11, 27, 11, 15, 30),
                "PURCHASE", "000000", 500, "156", card, new IssuerLeg(ISSUER, s, "633012" + s, Instant.parse("2026-11-27T10:15:30Z")),
                null);
    }

    private void queueReversals(JournalDatabase database, String terminal, int from, int count) {
        try (Journal journal = new Journal(database, JournalSettings.defaults(), CommitListener.NONE, clock)) {
            for (int stan = from; stan < from + count; stan++) {
                var id = journal.recordSent(purchase(terminal, stan)).join().entry().id();
                journal.transition(id, TransactionState.SENT, TransactionState.REVERSAL_PENDING,
                        SafRequest.reversal(ISSUER, "68", 500, "156")).join();
            }
        }
    }

    private static void deliverAll(StoreAndForwardQueue queue) {
        for (var claimed = queue.claim(ISSUER, "node-a", Duration.ofSeconds(60), 256).join(); !claimed.isEmpty();
             claimed = queue.claim(ISSUER, "node-a", Duration.ofSeconds(60), 256).join()) {
            queue.acknowledgeAll(claimed.stream().map(e -> new StoreAndForwardQueue.Acknowledgement(e, null)).toList()).join();
        }
    }

    private static long count(JournalBackend backend, String sql) throws Exception {
        try (Connection c = backend.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void deletesDeliveredEntriesOlderThanTheRetentionInBatchesAndCountsThem() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (JournalBackend backend = JournalBackend.h2();
             JournalDatabase database = JournalDatabase.open(backend.config(0, 2_000).toDatabaseConfig())) {
            StoreAndForwardQueue queue = new StoreAndForwardQueue(database, clock);
            int old = SafPurger.BATCH + 20;
            queueReversals(database, "T0000001", 1, old);
            deliverAll(queue);
            clock.advance(Duration.ofDays(6));
            queueReversals(database, "T0000001", old + 1, 3);
            deliverAll(queue);
            queueReversals(database, "T0000001", old + 4, 1);
            clock.advance(Duration.ofDays(2));

            SafPurger purger = new SafPurger(new SafRetention(database), Duration.ofDays(7), registry, clock);
            assertThat(purger.purgeNow()).as("more than one batch").isEqualTo(old);
            assertThat(purger.purgeNow()).isZero();

            assertThat(registry.get(SafPurger.PURGED_METRIC).counter().count()).isEqualTo(old);
            assertThat(count(backend, "SELECT count(*) FROM saf_queue WHERE state = 'DONE'")).as("delivered 2 days ago").isEqualTo(3);
            assertThat(count(backend, "SELECT count(*) FROM saf_queue WHERE state = 'PENDING'")).isEqualTo(1);
            assertThat(count(backend, "SELECT count(*) FROM journal")).as("the money record stays").isEqualTo(old + 4);
        }
    }
}
